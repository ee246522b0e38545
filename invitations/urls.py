from django.urls import path

from invitations.views import answers, clients, dashboard, intake

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("invitations/new/", intake.quick_add, name="quick_add"),
    path("invitations/<int:pk>/", answers.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/respond/", answers.respond, name="respond"),
    path("clients/<int:pk>/", clients.client_detail, name="client_detail"),
    path("followups/<int:pk>/reconnect/", clients.reconnect, name="reconnect"),
]
