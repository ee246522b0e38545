"""When each scheduled job last ran: a worker that stopped is noticed, not guessed at."""

import datetime as dt

from invitations.models import Heartbeat

# The sweep runs every 5 minutes; three missed runs mean the worker is not running.
STALE_AFTER = dt.timedelta(minutes=15)


def beat(job, *, now, summary=""):
    """Record that `job` ran at `now` (one row per job, overwritten).

    `summary` covers every user's activity: it is for superusers (the Heartbeat admin), never a user's page.
    """
    Heartbeat.objects.update_or_create(job=job, defaults={"last_run_at": now, "last_summary": summary[:300]})


def is_stale(heartbeat, *, now, after=STALE_AFTER):
    """True when the job never ran or last ran longer ago than `after`."""
    return heartbeat is None or now - heartbeat.last_run_at > after
