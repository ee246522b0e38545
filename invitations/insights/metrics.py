"""What the user can learn from their invitations: plain functions over (owner, now, filters).

A fixed number of aggregate queries each (the period's rows scanned four times in all), so the
dashboard costs the same at 50 invitations and at 100,000. The reply rate counts as the
marketplace does (docs/design.md, "Marketplace facts").
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, F, FloatField, Func, IntegerField, Max, Min, Q, Value, When

from invitations.clock import at_local_hour, local_date
from invitations.models import ANSWERED, DeclineReason, FollowUp, Invitation, Platform, Status

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90

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


def week_starts(now, filters, zone):
    """The Mondays (local dates) of the ISO weeks the period touches, oldest first."""
    first = local_date(filters.since(now), zone)
    monday, last = first - dt.timedelta(days=first.weekday()), local_date(now, zone)
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


def month_starts(now, filters, zone):
    """The first days (local dates) of the months the period touches, oldest first."""
    month, last = local_date(filters.since(now), zone).replace(day=1), local_date(now, zone)
    months = []
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _bucket(starts, zone):
    """Index of the local period (week, month) an invitation was received in, as plain comparisons.

    Bounds are computed here, DST-safe, so the database compares timestamps instead of calling
    a time zone conversion per row (a Python function on SQLite: the slow part at 100,000 rows),
    and they are searched by halving: a row costs log2(periods) comparisons, not one per period.
    """
    return _halving([at_local_hour(day, 0, zone) for day in starts[1:]], 0, len(starts) - 1)


def _halving(bounds, lo, hi):
    """The index k in lo..hi with bounds[k-1] <= received_at < bounds[k], as nested CASEs."""
    if lo == hi:
        return Value(lo)
    mid = (lo + hi) // 2
    return Case(
        When(received_at__lt=bounds[mid], then=_halving(bounds, lo, mid)),
        default=_halving(bounds, mid + 1, hi), output_field=IntegerField(),
    )


@dataclass
class Facts:
    """The period's invitations counted by week, month, status, platform and reason, in one query.

    pipeline, weeks, months, platforms, reasons and `answered` are all sums over these groups.
    """

    weeks: list
    months: list
    pipeline: list
    platforms: list
    reasons: list
    answered: int


def facts(owner, now, filters, zone):
    """Count the period's invitations once, grouped finely, and add the groups up in Python. One query.

    weeks: [{"week": Monday, "received", "counted", "in_time", "rate"}] for every week of the
    period; `counted` leaves out invitations withdrawn within their window and those not yet due.
    months: [(first day, count)]; pipeline: [(status, label, count)] for every status;
    platforms and reasons: [(value, label, count)], most frequent first.
    """
    weeks, months = week_starts(now, filters, zone), month_starts(now, filters, zone)
    groups = (
        filters.invitations(owner, now)
        .annotate(week=_bucket(weeks, zone), month=_bucket(months, zone))
        .order_by()
        .values_list("week", "month", "status", "platform", "decline_reason")
        .annotate(
            n=Count("id"),
            counted=Count("id", filter=~WITHDRAWN_IN_TIME & ~_undecided(now)),
            in_time=Count("id", filter=ANSWERED_IN_TIME),
            answered=Count("id", filter=ANSWERED),
        )
    )
    per_week = [Counter() for _ in weeks]
    per_month, per_status, per_platform, per_reason = Counter(), Counter(), Counter(), Counter()
    answered = 0
    for week, month, status, platform, reason, n, counted, in_time, answered_here in groups:
        per_week[week].update(received=n, counted=counted, in_time=in_time)
        per_month[month] += n
        per_status[status] += n
        per_platform[platform] += n
        if status == Status.DECLINED:
            per_reason[reason] += n
        answered += answered_here
    platform_labels, reason_labels = dict(Platform.choices), dict(DeclineReason.choices)
    return Facts(
        weeks=[
            {"week": monday, "received": c["received"], "counted": c["counted"], "in_time": c["in_time"],
             "rate": _ratio(c["in_time"], c["counted"])}
            for monday, c in zip(weeks, per_week)
        ],
        months=[(month, per_month[i]) for i, month in enumerate(months)],
        pipeline=[(status, label, per_status[status]) for status, label in Status.choices],
        platforms=_most_first(per_platform, platform_labels),
        reasons=_most_first(per_reason, {**reason_labels, "": "No reason given"}),
        answered=answered,
    )


def reply_rate_overall(weeks):
    """The period's reply rate from the weekly rows: (answered in time, counted, rate)."""
    in_time = sum(week["in_time"] for week in weeks)
    counted = sum(week["counted"] for week in weeks)
    return in_time, counted, _ratio(in_time, counted)


class AnswerSeconds(Func):
    """responded_at - received_at in seconds, in each engine's own date arithmetic.

    Django's portable datetime subtraction is a Python function per row on SQLite; julianday()
    is built in, and sorting 10,000 floats then costs a few milliseconds.
    """

    output_field = FloatField()

    def __init__(self):
        super().__init__(F("responded_at"), F("received_at"))

    def _operands(self, compiler):
        (responded, p1), (received, p2) = (compiler.compile(e) for e in self.get_source_expressions())
        return responded, received, (*p1, *p2)

    def as_sqlite(self, compiler, connection, **extra):
        responded, received, params = self._operands(compiler)
        return f"((julianday({responded}) - julianday({received})) * 86400.0)", params

    def as_postgresql(self, compiler, connection, **extra):
        responded, received, params = self._operands(compiler)
        return f"EXTRACT(EPOCH FROM ({responded} - {received}))", params


def median_time_to_answer(owner, now, filters, *, answered):
    """Median of responded_at - received_at over the `answered` accepted and declined invitations.

    Exact on every engine in one query: the database sorts the durations and hands back the
    middle one or two (nothing else leaves it). None when nothing was answered.
    """
    if not answered:
        return None
    middle = answered // 2 if answered % 2 else answered // 2 - 1
    seconds = list(
        filters.invitations(owner, now).answered()
        .annotate(took=AnswerSeconds()).order_by("took").values_list("took", flat=True)[middle:answered // 2 + 1]
    )
    return dt.timedelta(seconds=round(sum(seconds) / len(seconds)))


def reconnects(owner, now, filters):
    """Reconnect follow-ups that fell due in the period: {"due": n, "made": n}. One query.

    A reconnect is due once its day has come; it is made when it was marked done.
    """
    qs = FollowUp.objects.reconnects().filter(owner=owner, due_at__gt=filters.since(now), due_at__lte=now)
    if filters.platform:
        qs = qs.filter(invitation__platform=filters.platform)
    return qs.aggregate(due=Count("id"), made=Count("id", filter=Q(done_at__isnull=False)))


def came_back(owner, now, filters):
    """Clients declined in the period, and how many of them sent a new invitation afterwards.

    {"declined": n, "returned": n}. Per client over the period's invitations: the first decline
    sent and the latest invitation received; it came back when the latter is after the former.
    One query (a grouped subquery, counted by the database).
    """
    per_client = (
        filters.invitations(owner, now).order_by().values("client")
        .annotate(first_decline=Min("responded_at", filter=Q(status=Status.DECLINED)), last_received=Max("received_at"))
        .filter(first_decline__isnull=False)
    )
    return per_client.aggregate(
        declined=Count("client"), returned=Count("client", filter=Q(last_received__gt=F("first_decline")))
    )


def learn(owner, now, filters, zone):
    """Everything "What I can learn" shows, in one dict (for the page and the CSV export). Four queries."""
    counted = facts(owner, now, filters, zone)
    return {
        "pipeline": counted.pipeline,
        "weeks": counted.weeks,
        "reply_rate": reply_rate_overall(counted.weeks),
        "median_answer": median_time_to_answer(owner, now, filters, answered=counted.answered),
        "platforms": counted.platforms,
        "months": counted.months,
        "reasons": counted.reasons,
        "reconnects": reconnects(owner, now, filters),
        "came_back": came_back(owner, now, filters),
    }


def _most_first(counts, labels):
    """[(value, label, count)] for the values counted, most frequent first, then by label."""
    return sorted(((v, labels.get(v, v), n) for v, n in counts.items() if n), key=lambda row: (-row[2], row[1]))


def _ratio(part, whole):
    return part / whole if whole else None


