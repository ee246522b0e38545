from django.urls import path

from invitations.views import dashboard, export, intake

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("invitations/new/", intake.quick_add, name="quick_add"),
    path("export/invitations.csv", export.export_invitations, name="export_invitations"),
    path("export/analytics.csv", export.export_analytics, name="export_analytics"),
]
