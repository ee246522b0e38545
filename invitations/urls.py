from django.urls import path

from invitations.views import answers, clients, dashboard, digest, export, followups, inbox, intake, sending, settings

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("invitations/new/", intake.quick_add, name="quick_add"),
    path("followups/<int:pk>/snooze/", followups.followup_snooze, name="followup_snooze"),
    path("followups/<int:pk>/done/", followups.followup_done, name="followup_done"),
    path("followups/<int:pk>/undo/", followups.followup_undo, name="followup_undo"),
    path("export/invitations.csv", export.export_invitations, name="export_invitations"),
    path("export/analytics.csv", export.export_analytics, name="export_analytics"),
    path("digest/", digest.digest_preview, name="digest_preview"),
    path("digest/email/", digest.digest_email, name="digest_email"),
    path("digest/send-test/", digest.digest_send_test, name="digest_send_test"),
    path("settings/", settings.settings, name="settings"),
    path("settings/address/", settings.replace_inbound_address, name="replace_inbound_address"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/add/", inbox.add_from_email, name="add_from_email"),
    path("inbox/<int:pk>/", inbox.message_detail, name="inbound_message"),
    path("inbox/<int:pk>/raw/", inbox.message_raw, name="inbound_message_raw"),
    path("inbox/<int:pk>/dismiss/", inbox.message_dismiss, name="inbound_message_dismiss"),
    path("inbox/<int:pk>/retry/", inbox.message_retry, name="inbound_message_retry"),
    path("invitations/<int:pk>/", answers.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/respond/", answers.respond, name="respond"),
    path("invitations/<int:pk>/draft/", sending.respond_draft, name="respond_draft"),
    path("invitations/<int:pk>/sent/", sending.answer_sent, name="answer_sent"),
    path("invitations/<int:pk>/answered/", sending.answered_elsewhere, name="answered_elsewhere"),
    path("clients/<int:pk>/", clients.client_detail, name="client_detail"),
    path("followups/<int:pk>/reconnect/", clients.reconnect, name="reconnect"),
    path("followups/<int:pk>/referrer/", clients.tell_referrer, name="tell_referrer"),
]
