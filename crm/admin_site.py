"""noghost's admin site: its titles, and the scheduler's health on the index page.

The health is computed here, where the request is handled, so templates only display it.
"""

from django.contrib import admin
from django.utils import timezone

from invitations.reminders.scheduler_health import sweep_health


class NoghostAdminSite(admin.AdminSite):
    site_header = "noghost"
    site_title = "noghost admin"
    index_title = "Invitations, clients and follow-ups"

    def index(self, request, extra_context=None):
        return super().index(request, {"health": sweep_health(timezone.now()), **(extra_context or {})})
