"""The /invitations/ and /clients/ lists: one user's rows, searched and filtered, newest first.

Each list is one queryset (the page counts it and fetches a page: two queries), with whatever a
row shows joined or annotated in, so a page costs the same at 5 rows and at 50,000.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Lower, NullIf

from invitations.insights.metrics import ANSWERED_IN_TIME
from invitations.models import ANSWERED, AnswerEvent, Client, FollowUp, FollowUpKind, Invitation, Status
from invitations.workspace.search import matching

PERIODS = (7, 30, 90, 365)
# "Answered within the window or not": in time counts as the reply rate does; late is answered
# after the reply-by (still open past it is the `overdue` filter).
WINDOWS = {
    "in_time": ("Answered within the window", ANSWERED_IN_TIME),
    "late": ("Answered late", ANSWERED & Q(responded_at__gt=F("reply_by"))),
}
# The contacts a client's "last contact" is the latest of (the contact rule's, docs/design.md rule 3).
CONTACT_KINDS = (FollowUpKind.CUSTOM, FollowUpKind.RECONNECT)
NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class InvitationFilters:
    """What /invitations/ shows; every field empty shows everything. Parsed by forms/workspace.py."""

    q: str = ""
    status: str = ""
    platform: str = ""
    overdue: bool = False
    window: str = ""
    reason: str = ""
    period: int | None = None  # received in the last `period` days

    def apply(self, queryset, *, now):
        """`queryset` narrowed by every filter that is set (the search last)."""
        exact = {name: getattr(self, field) for name, field in
                 (("status", "status"), ("platform", "platform"), ("decline_reason", "reason"))
                 if getattr(self, field)}
        queryset = queryset.filter(**exact)
        if self.overdue:
            queryset = queryset.overdue(now)
        if self.window:
            queryset = queryset.filter(WINDOWS[self.window][1])
        if self.period:
            queryset = queryset.filter(received_at__gt=now - dt.timedelta(days=self.period))
        return matching(queryset, self.q, paths=("", "client__"))


def invitations(owner, filters, *, now):
    """The owner's invitations through `filters`, newest first, each with its client."""
    queryset = Invitation.objects.filter(owner=owner).select_related("client")
    return filters.apply(queryset, now=now).order_by("-received_at", "-pk")


def is_new(owner, learned):
    """True for a user with no invitation at all (the dashboard's welcome). `learned` is
    metrics.learn()'s: an invitation in its period settles it without a query."""
    if any(n for _, _, n in learned["pipeline"]):
        return False
    return not Invitation.objects.filter(owner=owner).exists()


@dataclass(frozen=True)
class ClientFilters:
    q: str = ""
    platform: str = ""


def clients(owner, filters):
    """The owner's clients through `filters`, by name, each with `invitation_count`, `referral_count`
    (invitations they sent the user's way), `last_contact` (None if never) and `next_reconnect`
    (None if none is open)."""
    queryset = Client.objects.filter(owner=owner)
    if filters.platform:
        queryset = queryset.filter(platform=filters.platform)
    queryset = matching(queryset, filters.q)
    return queryset.annotate(
        invitation_count=_per_client(Invitation.objects.values("client"), "client", Count("pk")),
        referral_count=_per_client(Invitation.objects.values("referred_by"), "referred_by", Count("pk")),
        last_contact=NullIf(Greatest(*[Coalesce(latest, Value(NEVER)) for latest in _latest_contacts()]),
                            Value(NEVER)),
        next_reconnect=_per_client(FollowUp.objects.open().reconnects().values("client"), "client", Min("due_at")),
    ).order_by(Lower("name"), "pk")


def _per_client(rows, field, aggregate):
    """A correlated subquery: `aggregate` over `rows` whose `field` is the outer client."""
    return Subquery(rows.filter(**{field: OuterRef("pk")}).order_by().annotate(value=aggregate).values("value")[:1])


def _latest_contacts():
    """The latest invitation from the client, answer to them, and logged contact or reconnect."""
    yield _per_client(Invitation.objects.values("client"), "client", Max("received_at"))
    answers = AnswerEvent.objects.exclude(status=Status.WITHDRAWN).values("invitation__client")
    yield _per_client(answers, "invitation__client", Max("at"))
    done = FollowUp.objects.filter(kind__in=CONTACT_KINDS, done_at__isnull=False).values("client")
    yield _per_client(done, "client", Max("done_at"))
