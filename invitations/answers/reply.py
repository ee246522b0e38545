"""An answer as the user chooses it (a Reply), before it is checked, drafted and recorded."""

import datetime as dt
from dataclasses import dataclass

from invitations.answers import composer
from invitations.models import DeclineReason, Status

ACTIONS = {"accept": Status.ACCEPTED, "decline": Status.DECLINED, "withdrawn": Status.WITHDRAWN}

# Cancelling an accepted interview closer than this to it needs a confirmation (force=True).
LATE_CANCELLATION = dt.timedelta(hours=24)
# A first answer later than this after the invitation arrived thanks the client for their patience.
PROMPT_ANSWER = dt.timedelta(hours=24)


def is_late_cancellation(invitation, *, now):
    """An accepted interview that is still ahead, and less than a day away."""
    return (
        invitation.status == Status.ACCEPTED and invitation.interview_at is not None
        and now <= invitation.interview_at < now + LATE_CANCELLATION
    )


@dataclass(frozen=True)
class Reply:
    """The answer as the user chose it, passed whole between checking, drafting and recording."""

    action: str
    reason: str = ""
    busy_until: dt.date | None = None
    channel: str = ""
    message: str | None = None
    suggest: str = ""
    interview_at: dt.datetime | None = None


def decline_reason(reply):
    """A stated busy period is the reason for a decline unless another is given."""
    if reply.busy_until and not reply.reason:
        return DeclineReason.BUSY
    return reply.reason or ""


def draft_for(invitation, reply, *, now):
    """The composer's draft for this answer (the page shows it before anything is saved)."""
    zone = invitation.owner.profile.zone
    if reply.action == "decline":
        return composer.compose_decline(
            invitation, reason=decline_reason(reply), busy_until=reply.busy_until, suggest=reply.suggest or "",
            late=is_late_cancellation(invitation, now=now), zone=zone,
        )
    if reply.action == "accept":
        patience = invitation.responded_at is None and now - invitation.received_at > PROMPT_ANSWER
        return composer.compose_accept(invitation, interview_at=reply.interview_at, zone=zone, patience=patience)
    return composer.Draft()


def kept_reply(invitation):
    """The Reply behind the invitation's current answer, or None when it has none to draft from
    (open, or withdrawn by the client): the kept message's e-mail subject is drafted from it."""
    action = {status: action for action, status in ACTIONS.items()}.get(invitation.status)
    if action not in ("accept", "decline"):
        return None
    return Reply(action=action, reason=invitation.decline_reason, busy_until=invitation.busy_until)
