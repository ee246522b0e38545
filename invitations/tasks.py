"""django-q2 entry points: thin, they hand the domain the time and return its summary.

They, not the domain functions, record the heartbeat: it vouches for the worker, so a sweep
run by hand (`manage.py sweep`) must not hide a worker that has stopped.
"""

from django.utils import timezone

from invitations import heartbeat
from invitations import sweep as sweeping


def sweep():
    """Every 5 minutes (schedule "sweep every 5 minutes")."""
    now = timezone.now()
    summary = str(sweeping.sweep(now))
    heartbeat.beat("sweep", now=now, summary=summary)
    return summary


def send_digests():
    """Every 15 minutes (schedule "digests every 15 minutes").

    invitations.digests is the digest issue's module; imported here, at run time, so the
    schedule can be registered before it lands.
    """
    from invitations.digests import send_due_digests

    now = timezone.now()
    summary = send_due_digests(now).summary
    heartbeat.beat("digests", now=now, summary=summary)
    return summary
