"""Things that need attention, made quickly for digest tests (shared by several test files)."""

import datetime as dt

from invitations.intake.log import log_invitation
from invitations.models import Client, FollowUp, FollowUpKind, Invitation, Status

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def overdue_invitation(owner, now, *, by=2 * HOUR, title="Overdue job", client="Acme"):
    """An open invitation whose reply-by passed `by` ago."""
    return log_invitation(owner, now=now, client=client, title=title, received_at=now - by - DAY, reply_by=now - by)


def invitation_due_in(owner, now, delta, *, title="Due soon", client="Acme"):
    return log_invitation(owner, now=now, client=client, title=title, received_at=now, reply_by=now + delta)


def reconnect_due(owner, due_at, *, note="Busy until then", client="Brightpath"):
    """A reconnect follow-up on a declined invitation (what `respond` opens)."""
    client, _ = Client.objects.get_or_create(owner=owner, name=client)
    invitation = Invitation.objects.create(
        owner=owner, client=client, title="Declined for now", received_at=due_at - 30 * DAY,
        reply_by=due_at - 29 * DAY, status=Status.DECLINED, responded_at=due_at - 29 * DAY,
        decline_reason="busy", busy_until=(due_at - DAY).date(),
    )
    return FollowUp.objects.create(owner=owner, kind=FollowUpKind.RECONNECT, invitation=invitation,
                                   client=client, due_at=due_at, note=note)


def interview_at(owner, moment, *, status=Status.ACCEPTED, title="Interview job", client="Kumo Labs"):
    client, _ = Client.objects.get_or_create(owner=owner, name=client)
    return Invitation.objects.create(
        owner=owner, client=client, title=title, received_at=moment - 5 * DAY, reply_by=moment - 4 * DAY,
        status=status, responded_at=moment - 4 * DAY, interview_at=moment,
    )


def custom_followup(owner, due_at, *, note="Send the portfolio", client="Quillstack"):
    client, _ = Client.objects.get_or_create(owner=owner, name=client)
    return FollowUp.objects.create(owner=owner, kind=FollowUpKind.CUSTOM, client=client, due_at=due_at, note=note)


def items(owner, now, count):
    """`count` things that need attention today, spread over every section of the digest."""
    makers = [
        lambda i: overdue_invitation(owner, now, by=(i + 1) * HOUR, title=f"Overdue {i}", client=f"Client {i}"),
        lambda i: invitation_due_in(owner, now, (i % 20 + 1) * HOUR, title=f"Soon {i}", client=f"Client {i}"),
        lambda i: reconnect_due(owner, now - HOUR, client=f"Client {i}"),
        lambda i: interview_at(owner, now + (i % 40 + 1) * HOUR, client=f"Client {i}"),
        lambda i: custom_followup(owner, now - HOUR, client=f"Client {i}"),
    ]
    for i in range(count):
        makers[i % len(makers)](i)
