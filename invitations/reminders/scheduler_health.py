"""Is the worker running? The usual reason self-hosted reminders never arrive is that it is not."""

import datetime as dt

from django.utils.timesince import timesince

from invitations.models import Heartbeat
from invitations.reminders.heartbeat import is_stale


def sweep_health(now):
    """When the sweep last ran and whether that is too long ago, for the dashboard and the admin.

    Not what it did: that counts every user's invitations (rule 7, docs/design.md), and a user sees only their own.
    """
    last = Heartbeat.objects.filter(job="sweep").first()
    ago = ""
    if last:
        recent = now - last.last_run_at < dt.timedelta(minutes=1)
        ago = "less than a minute" if recent else timesince(last.last_run_at, now)
    return {
        "last_run_at": last.last_run_at if last else None,
        "ago": ago,
        "stale": is_stale(last, now=now),
    }
