""""Needs me now": the follow-ups the user owes now and soon, in the order they hurt most if missed.

Every item is an open, unsnoozed follow-up (FollowUp.objects.actionable), so snoozing or finishing
one takes it off the page, and an invitation is "overdue" exactly when its `reply` follow-up
is past due. A fixed number of queries whatever the backlog: one count, one short list per section.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from invitations.clock import at_local_hour, local_date
from invitations.models import FollowUp, FollowUpKind

SHOWN_PER_SECTION = 10
REPLY_HORIZON = dt.timedelta(hours=24)


@dataclass
class Section:
    key: str
    title: str
    empty: str
    items: list
    total: int

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
    reply = Q(kind=FollowUpKind.REPLY)
    return {
        "overdue": reply & Q(due_at__lte=now),
        "due_soon": reply & Q(due_at__gt=now, due_at__lte=now + REPLY_HORIZON),
        "reconnects": Q(kind=FollowUpKind.RECONNECT, due_at__lt=end_of_day),
        "followups": ~Q(kind__in=[FollowUpKind.REPLY, FollowUpKind.RECONNECT]) & Q(due_at__lt=end_of_day),
    }


TITLES = {
    "overdue": ("Overdue invitations", "No invitation is waiting past its reply-by. Nobody is being ghosted."),
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
            due.filter(condition).select_related("invitation__client", "client").order_by("due_at", "pk")[:shown]
        )
        sections.append(Section(key, *TITLES[key], items=items, total=totals[key]))
    return sections
