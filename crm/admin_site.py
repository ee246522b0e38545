"""noghost's admin site: its titles, and on the index page the scheduler's health and, for a
superuser, the users a sweep or digest run had to skip (reminders/problems.py).

The health is computed here, where the request is handled, so templates only display it.
"""

from django.contrib import admin
from django.utils import timezone

from invitations.reminders.problems import everyone_with_problems
from invitations.reminders.scheduler_health import sweep_health


class NoghostAdminSite(admin.AdminSite):
    site_header = "noghost"
    site_title = "noghost admin"
    index_title = "Invitations, clients and follow-ups"

    def index(self, request, extra_context=None):
        now = timezone.now()
        health = {"health": sweep_health(now)}
        if request.user.is_superuser:  # every user's problems: superusers only (docs/design.md, rule 7)
            rows, count, without_profile = everyone_with_problems(now=now)
            health["problems"] = {"rows": rows, "count": count, "without_profile": without_profile}
        return super().index(request, {**health, **(extra_context or {})})
