"""What the user can learn from their invitations: plain functions over (owner, now, filters).

Each function runs a fixed number of aggregate queries (the database counts, Python only
shapes the result), so the dashboard costs the same at 50 invitations and at 100,000.

Reply rate follows the marketplace (DESIGN.md, "Marketplace facts"): an accepted or declined
invitation answered by its `reply_by` counts as answered in time, a late answer or an ignored
invitation counts against, and an invitation the client withdrew before its `reply_by` (or
with no recorded moment) does not count at all. Open invitations still inside their window
are not decided yet and are left out too.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import TruncMonth, TruncWeek

from invitations.models import DeclineReason, FollowUp, FollowUpKind, Invitation, Platform, Status

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90

ANSWERED = Q(status__in=[Status.ACCEPTED, Status.DECLINED], responded_at__isnull=False)
ANSWERED_IN_TIME = ANSWERED & Q(responded_at__lte=F("reply_by"))
# Upwork: an invitation the client withdraws within the window does not count either way.
WITHDRAWN_IN_TIME = Q(status=Status.WITHDRAWN) & (Q(responded_at__isnull=True) | Q(responded_at__lte=F("reply_by")))


@dataclass(frozen=True)
class Filters:
    """The dashboard's lens: the last `days` days of received invitations, one platform or all."""

    days: int = DEFAULT_PERIOD
    platform: str = ""

    def since(self, now):
        return now - dt.timedelta(days=self.days)

    def invitations(self, owner, now):
        """The owner's invitations received in the period (and on the platform, if one is chosen)."""
        qs = Invitation.objects.filter(owner=owner, received_at__gt=self.since(now), received_at__lte=now)
        return qs.filter(platform=self.platform) if self.platform else qs


def _undecided(now):
    """Still open and inside the window: neither answered in time nor ghosted yet."""
    return Q(status=Status.OPEN, reply_by__gt=now)


def pipeline(owner, now, filters):
    """[(status, label, count)] for every status, zeros included, in the period. One query."""
    counts = dict(filters.invitations(owner, now).order_by().values_list("status").annotate(n=Count("id")))
    return [(status, label, counts.get(status, 0)) for status, label in Status.choices]


def reply_rate_by_week(owner, now, filters, zone):
    """Per ISO week (Monday, in the user's zone) of receipt: received, counted, answered in time.

    `counted` leaves out invitations withdrawn within their window and those not yet due.
    Returns a list of dicts, oldest week first, with `rate` (0..1, or None when nothing counted).
    One query.
    """
    rows = (
        filters.invitations(owner, now)
        .annotate(week=TruncWeek("received_at", tzinfo=zone))
        .order_by("week")
        .values("week")
        .annotate(
            received=Count("id"),
            counted=Count("id", filter=~WITHDRAWN_IN_TIME & ~_undecided(now)),
            in_time=Count("id", filter=ANSWERED_IN_TIME),
        )
    )
    return [{**row, "week": _as_date(row["week"]), "rate": _ratio(row["in_time"], row["counted"])} for row in rows]


def reply_rate_overall(weeks):
    """The period's reply rate from the weekly rows: (answered in time, counted, rate)."""
    in_time = sum(week["in_time"] for week in weeks)
    counted = sum(week["counted"] for week in weeks)
    return in_time, counted, _ratio(in_time, counted)


def median_time_to_answer(owner, now, filters):
    """Median of responded_at - received_at over accepted and declined invitations, or None.

    Exact on every engine in two queries: a count, then the middle one or two rows of the
    durations sorted by the database (no rows shipped to Python beyond those two).
    """
    answered = filters.invitations(owner, now).filter(ANSWERED)
    n = answered.count()
    if not n:
        return None
    duration = ExpressionWrapper(F("responded_at") - F("received_at"), output_field=DurationField())
    middle = n // 2 if n % 2 else n // 2 - 1
    values = list(
        answered.annotate(took=duration).order_by("took").values_list("took", flat=True)[middle:n // 2 + 1]
    )
    return sum(values, dt.timedelta()) / len(values)


def by_platform(owner, now, filters):
    """[(platform, label, count)] for platforms with invitations in the period, most first. One query."""
    labels = dict(Platform.choices)
    rows = filters.invitations(owner, now).order_by().values_list("platform").annotate(n=Count("id"))
    return sorted(((p, labels.get(p, p), n) for p, n in rows), key=lambda row: (-row[2], row[1]))


def by_month(owner, now, filters, zone):
    """[(first day of month, count)] in the user's zone, oldest first, empty months included. One query."""
    rows = dict(
        filters.invitations(owner, now)
        .annotate(month=TruncMonth("received_at", tzinfo=zone))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )
    counts = {_as_date(month): n for month, n in rows.items()}
    month = filters.since(now).astimezone(zone).date().replace(day=1)
    last = now.astimezone(zone).date().replace(day=1)
    months = []
    while month <= last:
        months.append((month, counts.get(month, 0)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def decline_reasons(owner, now, filters):
    """[(reason, label, count)] of declines in the period, most frequent first. One query."""
    labels = dict(DeclineReason.choices)
    rows = (
        filters.invitations(owner, now).filter(status=Status.DECLINED)
        .order_by().values_list("decline_reason").annotate(n=Count("id"))
    )
    return sorted(
        ((reason, labels.get(reason, "No reason given"), n) for reason, n in rows), key=lambda row: (-row[2], row[1])
    )


def reconnects(owner, now, filters):
    """Reconnect follow-ups that fell due in the period: {"due": n, "made": n}. One query.

    A reconnect is due once its day has come; it is made when it was marked done.
    """
    qs = FollowUp.objects.filter(
        owner=owner, kind=FollowUpKind.RECONNECT, due_at__gt=filters.since(now), due_at__lte=now
    )
    if filters.platform:
        qs = qs.filter(invitation__platform=filters.platform)
    return qs.aggregate(due=Count("id"), made=Count("id", filter=Q(done_at__isnull=False)))


def came_back(owner, now, filters):
    """Clients declined in the period, and how many of them sent a new invitation afterwards.

    {"declined": n, "returned": n}; "afterwards" means received after the decline was sent.
    One query.
    """
    later = Invitation.objects.filter(owner=owner, client=OuterRef("client"), received_at__gt=OuterRef("responded_at"))
    return (
        filters.invitations(owner, now).filter(status=Status.DECLINED)
        .aggregate(
            declined=Count("client", distinct=True),
            returned=Count("client", distinct=True, filter=Exists(later)),
        )
    )


def learn(owner, now, filters, zone):
    """Everything "What I can learn" shows, in one dict (for the page and the CSV export)."""
    weeks = reply_rate_by_week(owner, now, filters, zone)
    return {
        "pipeline": pipeline(owner, now, filters),
        "weeks": weeks,
        "reply_rate": reply_rate_overall(weeks),
        "median_answer": median_time_to_answer(owner, now, filters),
        "platforms": by_platform(owner, now, filters),
        "months": by_month(owner, now, filters, zone),
        "reasons": decline_reasons(owner, now, filters),
        "reconnects": reconnects(owner, now, filters),
        "came_back": came_back(owner, now, filters),
    }


def _ratio(part, whole):
    return part / whole if whole else None


def _as_date(value):
    """Trunc* gives a datetime on PostgreSQL and SQLite alike; the day is what we show."""
    return value.date() if isinstance(value, dt.datetime) else value
