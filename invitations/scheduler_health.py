"""Is the worker running? The usual reason self-hosted reminders never arrive is that it is not."""

from invitations.heartbeat import STALE_AFTER, is_stale
from invitations.models import Heartbeat


def sweep_health(now):
    """When the sweep last ran and whether that is too long ago, for the dashboard and the admin."""
    last = Heartbeat.objects.filter(job="sweep").first()
    return {
        "last_run_at": last.last_run_at if last else None,
        "last_summary": last.last_summary if last else "",
        "stale": is_stale(last, now=now),
        "stale_after_minutes": int(STALE_AFTER.total_seconds() // 60),
        "now": now,
    }
