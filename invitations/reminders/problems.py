"""One bad row must not stop everyone: the sweep and the digest run skip a user they cannot serve.

A profile whose time zone this system no longer knows (after a restore or a tzdata update), a
user with no profile, a date no zone can show: whatever makes one user's nudge or digest fail
is caught around that user alone (guarded()), logged with its traceback, and written on their
profile (`nudge_problem`, `digest_problem`), where their dashboard and the superuser's admin
index show it for a day. The next run that serves them clears it. A database error is not a
bad row (the transaction is gone with it): it still ends the run.
"""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.db.models import Q

from invitations.clock import zone_named
from invitations.models import Profile

logger = logging.getLogger(__name__)

# A problem is re-recorded by every run it persists through (every 5 and 15 minutes): one
# older than this was last met before the user stopped being due, and is not shown any more.
SHOWN_FOR = dt.timedelta(days=1)
# job -> (its profile fields, what it makes)
JOBS = {
    "nudge": ("nudge_problem", "nudge_problem_at", "overdue nudge"),
    "digest": ("digest_problem", "digest_problem_at", "daily digest"),
}
SHOWN_TO_SUPERUSERS = 20


def reason(exc):
    """What went wrong, in one line that fits the profile's field."""
    return " ".join((str(exc) or type(exc).__name__).split())[:300]


def record(job, user_id, exc, *, now):
    """Log why `job` skipped the user and keep it on their profile (none to keep it on: logged only)."""
    problem, at, _ = JOBS[job]
    logger.warning("The %s run skipped user %s: %s", job, user_id, reason(exc), exc_info=exc)
    Profile.objects.filter(user_id=user_id).update(**{problem: reason(exc), at: now})


def guarded(job, user_id, work, *, now):
    """work() for one user; None, with the problem recorded, when it raises anything but a database error."""
    try:
        return work()
    except DatabaseError:
        raise
    except Exception as exc:  # one user's bad data: skipped, so everyone else is served
        record(job, user_id, exc, now=now)
        return None


def served(job, profiles):
    """Clear the problem of each of these profiles (loaded already) that had one: one UPDATE, or none."""
    problem, at, _ = JOBS[job]
    ids = [profile.user_id for profile in profiles if getattr(profile, problem)]
    if ids:
        Profile.objects.filter(user_id__in=ids).update(**{problem: "", at: None})


def zone_problem(profile):
    """The message when the profile's zone is unknown here, else ""."""
    try:
        zone_named(profile.timezone)
    except ValueError as exc:
        return f"{exc}."
    return ""


def problems_of(profile, *, now):
    """[(what could not be made, why)] for the profile, recorded within SHOWN_FOR (no query)."""
    return [
        (made, getattr(profile, problem))
        for problem, at, made in JOBS.values()
        if getattr(profile, problem) and getattr(profile, at) >= now - SHOWN_FOR
    ]


def everyone_with_problems(*, now, limit=SHOWN_TO_SUPERUSERS):
    """For the superuser's admin index: (profiles with a recent problem or an unknown zone, with
    `zone_problem` set; how many there are; how many users have no profile). Three queries."""
    since = now - SHOWN_FOR
    zones = Profile.objects.values_list("timezone", flat=True).distinct()
    unknown = [name for name in zones if zone_problem(Profile(timezone=name))]
    troubled = Profile.objects.filter(
        Q(timezone__in=unknown) | Q(nudge_problem_at__gte=since) | Q(digest_problem_at__gte=since)
    ).select_related("user").order_by("user__username")
    rows = list(troubled[:limit])
    for profile in rows:
        profile.zone_problem = zone_problem(profile)
        profile.problems = problems_of(profile, now=now)
    count = len(rows) if len(rows) < limit else troubled.count()
    return rows, count, get_user_model().objects.filter(profile=None).count()
