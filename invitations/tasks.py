"""django-q2 entry points: thin, they hand the domain the time and return its summary.

They, not the domain functions, record the heartbeat: it vouches for the worker, so a sweep
run by hand (`manage.py sweep`) must not hide a worker that has stopped.
"""

from django.utils import timezone
from django_q.tasks import async_task

from invitations.intake import capture
from invitations.mailboxes.sync import sync_due
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


def read_inbound(pk):
    """Read one stored e-mail (queued by `manage.py receive_mail` once the message is committed)."""
    message = capture.read_stored(pk, now=timezone.now())
    return f"message {pk}: {message.get_state_display()}"


def queue_reading(pk):
    """Queue read_inbound for a stored message (a django-q2 task; inline under the test settings)."""
    async_task("invitations.tasks.read_inbound", pk, task_name=f"read inbound message {pk}")


def sync_mailboxes():
    """Every 5 minutes (schedule "mailboxes every 5 minutes"): read what is new in every mailbox."""
    return str(sync_due(now=timezone.now()))
