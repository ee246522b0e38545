"""django-q2 entry points: thin, they hand the domain the time and return its summary.

They, not the domain functions, record the heartbeat: it vouches for the worker, so a sweep
run by hand (`manage.py sweep`) must not hide a worker that has stopped.
"""

from django.utils import timezone

from invitations.maintenance import query_planner
from invitations.reminders import heartbeat
from invitations.reminders import sweep as sweeping
from invitations.reminders.digests import send_due_digests


def sweep():
    """Every 5 minutes (schedule "sweep every 5 minutes"); SQLite's statistics kept fresh on the way."""
    now = timezone.now()
    summary = str(sweeping.sweep(now))
    heartbeat.beat("sweep", now=now, summary=summary)
    query_planner.refresh_statistics()
    return summary


def send_digests():
    """Every 15 minutes (schedule "digests every 15 minutes")."""
    now = timezone.now()
    summary = send_due_digests(now).summary
    heartbeat.beat("digests", now=now, summary=summary)
    return summary
