from django.urls import path

from invitations.views import dashboard, digest, intake

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("invitations/new/", intake.quick_add, name="quick_add"),
    path("digest/", digest.digest_preview, name="digest_preview"),
    path("digest/send-test/", digest.digest_send_test, name="digest_send_test"),
    path("settings/", digest.settings, name="settings"),
]
