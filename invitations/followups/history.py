"""A client's whole history, in time order: what they sent, what the user answered, what followed.

Read-only: four queries (their invitations, the answers, those they referred, the follow-ups about
either) whatever its length. Each answer is told at its own moment from its AnswerEvent row
(docs/design.md, "Domain model"): accepted on Monday, declined on Tuesday reads as both, in order.
"""

from dataclasses import dataclass

from django.db.models import Q

from invitations.followups.reconnects import CONTACT_NOTE
from invitations.models import FollowUp, FollowUpKind, Invitation, Status


@dataclass(frozen=True)
class Event:
    at: object  # an aware datetime
    kind: str  # received, answered, followup_due, followup_done, contact, referred
    title: str
    detail: str = ""
    invitation: Invitation = None
    followup: FollowUp = None


def client_history(client):
    """(events oldest first, open follow-ups, referred: clients this one sent the user's way)."""
    invitations = list(
        Invitation.objects.filter(client=client).select_related("referred_by").prefetch_related("answers")
        .order_by("received_at", "pk")
    )
    referrals = list(
        Invitation.objects.filter(referred_by=client).exclude(client=client).select_related("client")
        .order_by("received_at", "pk")
    )
    followups = list(
        FollowUp.objects.filter(Q(client=client) | Q(invitation__client=client))
        .select_related("invitation").order_by("due_at", "pk")
    )
    events = []
    for invitation in invitations:
        events.extend(_invitation_events(invitation))
    for invitation in referrals:
        events.append(Event(
            invitation.received_at, "referred", f"Referred {invitation.client.name} to you",
            invitation.title, invitation,
        ))
    for followup in followups:
        events.extend(_followup_events(followup))
    events.sort(key=lambda event: event.at)
    pending = [f for f in followups if f.done_at is None]
    referred = list({invitation.client_id: invitation.client for invitation in referrals}.values())
    return events, pending, referred


def _invitation_events(invitation):
    via = f" via {invitation.referred_by.name}" if invitation.referred_by_id else ""
    yield Event(
        invitation.received_at, "received",
        f"Invitation: {invitation.display_title}", f"{invitation.get_platform_display()}{via}", invitation,
    )
    for answer in invitation.answers.all():
        if answer.status == Status.WITHDRAWN:
            title = "The client withdrew the invitation"
        else:
            title = f"You {'accepted' if answer.status == Status.ACCEPTED else 'declined'}"
            if answer.decline_reason:
                title += f" ({answer.get_decline_reason_display().lower()})"
        yield Event(answer.at, "answered", title, answer.message, invitation)


def _followup_events(followup):
    """A done follow-up at the moment it was done; an open one at its due date (past or ahead).

    A done `reply` says nothing the answer does not, so it is left out.
    """
    if followup.kind == FollowUpKind.CUSTOM and followup.note == CONTACT_NOTE:
        via = followup.get_done_channel_display().lower()
        yield Event(followup.done_at, "contact", f"In touch ({via})", followup.done_note, followup.invitation, followup)
    elif followup.done_at is None:
        yield Event(followup.due_at, "followup_due", f"Due: {followup.get_kind_display().lower()}",
                    followup.note, followup.invitation, followup)
    elif followup.kind != FollowUpKind.REPLY:
        how = f" ({followup.get_done_channel_display().lower()})" if followup.done_channel else ""
        yield Event(followup.done_at, "followup_done", f"Done: {followup.get_kind_display().lower()}{how}",
                    followup.done_note, followup.invitation, followup)
