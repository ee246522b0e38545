from django.urls import path

from invitations.views import dashboard, intake

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("invitations/new/", intake.quick_add, name="quick_add"),
]
