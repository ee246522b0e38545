""""Needs me now": the follow-ups the user owes now and soon, in the order they hurt most if missed.

Every item is an open, unsnoozed follow-up (FollowUp.objects.actionable), so snoozing or finishing
one takes it off the page. An invitation is overdue when it is open past its reply-by
(Invitation.objects.overdue, as the digest and the admin say), so its `reply` follow-up is listed
by the invitation's own status and deadline; an overdue invitation not listed (its reply snoozed)
is still counted, and the page never says nobody is being ghosted while one is. A fixed number of
queries whatever the backlog: two counts, one short list per section, one for the interviews.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from invitations.clock import at_local_hour, local_date
from invitations.models import FollowUp, FollowUpKind, Invitation, Status

SHOWN_PER_SECTION = 10
REPLY_HORIZON = dt.timedelta(hours=24)
INTERVIEW_HORIZON = dt.timedelta(days=7)


@dataclass
class Section:
    key: str
    title: str
    empty: str
    items: list
    total: int
    snoozed: int = 0  # overdue invitations whose reply is snoozed: unlisted, still unanswered
    unlisted: int = 0  # overdue invitations with no open reply at all (should not happen; counted anyway)

    @property
    def more(self):
        return self.total - len(self.items)


def end_of_local_day(now, zone):
    """The first instant of tomorrow in the user's zone: "due today" means due before it."""
    return at_local_hour(local_date(now, zone) + dt.timedelta(days=1), 0, zone)


def section_filters(now, end_of_day):
    """Each section's condition over the owner's actionable follow-ups.

    Replies look 24 hours ahead, like the digest, so an invitation logged a minute ago shows;
    reconnects and other follow-ups are what falls due by the end of the local day.
    """
    reply = Q(kind=FollowUpKind.REPLY, invitation__status=Status.OPEN)
    return {
        "overdue": reply & Q(invitation__reply_by__lte=now),
        "due_soon": reply & Q(invitation__reply_by__gt=now, invitation__reply_by__lte=now + REPLY_HORIZON),
        "reconnects": Q(kind=FollowUpKind.RECONNECT, due_at__lt=end_of_day),
        "followups": ~Q(kind__in=[FollowUpKind.REPLY, FollowUpKind.RECONNECT]) & Q(due_at__lt=end_of_day),
    }


NOBODY_GHOSTED = "No invitation is waiting past its reply-by. Nobody is being ghosted."
TITLES = {
    "overdue": ("Overdue invitations", NOBODY_GHOSTED),
    "due_soon": ("Replies due in the next 24 hours", "No reply falls due in the next 24 hours."),
    "reconnects": ("Reconnects due", "No busy period ends today."),
    "followups": ("Follow-ups due today", "No other follow-up is due today."),
}


def needs_me_now(owner, now, zone, *, shown=SHOWN_PER_SECTION):
    """[Section] of what the owner should do today, each with its first `shown` items and a total."""
    end_of_day = end_of_local_day(now, zone)
    conditions = section_filters(now, end_of_day)
    due = FollowUp.objects.filter(owner=owner).actionable(now).filter(due_at__lte=max(end_of_day, now + REPLY_HORIZON))
    totals = due.aggregate(**{key: Count("id", filter=condition) for key, condition in conditions.items()})
    sections = []
    for key, condition in conditions.items():
        items = list(
            due.filter(condition).select_related("invitation__client", "invitation__unsent", "client")
            .order_by("due_at", "pk")[:shown]
        )
        sections.append(Section(key, *TITLES[key], items=items, total=totals[key]))
    _count_unlisted_overdue(sections[0], owner, now)
    return sections


def _count_unlisted_overdue(overdue, owner, now):
    """Overdue invitations the section does not list, by why: a snoozed reply, or none open at all."""
    open_reply = Q(followups__kind=FollowUpKind.REPLY, followups__done_at=None)
    counts = Invitation.objects.filter(owner=owner).overdue(now).aggregate(
        all=Count("pk", distinct=True),
        snoozed=Count("pk", distinct=True, filter=open_reply & Q(followups__snoozed_until__gt=now)),
    )
    overdue.snoozed = counts["snoozed"]
    overdue.unlisted = max(counts["all"] - overdue.total - overdue.snoozed, 0)
    if overdue.snoozed or overdue.unlisted:
        overdue.empty = "No overdue invitation is listed for now, but they are still unanswered."


def upcoming_interviews(owner, now, *, horizon=INTERVIEW_HORIZON):
    """Accepted (or still open) invitations with an interview in the next `horizon`, soonest first,
    with any answer saved but not sent (a cancellation not yet sent leaves the interview on)."""
    return list(
        Invitation.objects.filter(owner=owner, interview_at__gt=now, interview_at__lte=now + horizon)
        .exclude(status__in=[Status.DECLINED, Status.WITHDRAWN]).select_related("client", "unsent")
        .order_by("interview_at", "pk")
    )
