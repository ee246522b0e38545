from django.urls import path

from invitations.views import answers, clients, dashboard, digest, export, followups, intake, settings

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("invitations/new/", intake.quick_add, name="quick_add"),
    path("followups/<int:pk>/snooze/", followups.followup_snooze, name="followup_snooze"),
    path("followups/<int:pk>/done/", followups.followup_done, name="followup_done"),
    path("export/invitations.csv", export.export_invitations, name="export_invitations"),
    path("export/analytics.csv", export.export_analytics, name="export_analytics"),
    path("digest/", digest.digest_preview, name="digest_preview"),
    path("digest/email/", digest.digest_email, name="digest_email"),
    path("digest/send-test/", digest.digest_send_test, name="digest_send_test"),
    path("settings/", settings.settings, name="settings"),
    path("outbox/<int:pk>/send-again/", dashboard.email_send_again, name="email_send_again"),
    path("invitations/<int:pk>/", answers.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/respond/", answers.respond, name="respond"),
    path("clients/<int:pk>/", clients.client_detail, name="client_detail"),
    path("followups/<int:pk>/reconnect/", clients.reconnect, name="reconnect"),
]
