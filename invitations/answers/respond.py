"""Answering an invitation (docs/design.md, rule 3): the one place an answer is recorded.

The page, the `respond` command and the demo seed all call respond(), so an answer owes the same
follow-ups and is kept as the same AnswerEvent whichever way it came in. It is checked before
anything is written, then written in one transaction: a bad answer changes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from invitations.answers import composer
from invitations.answers.checks import check_answer
from invitations.answers.reply import ACTIONS, Reply, draft_for, is_late_cancellation
from invitations.clock import at_local_hour
from invitations.followups.lifecycle import close_followups, open_followup
from invitations.followups.reconnects import contact_made
from invitations.models import (
    AnswerEvent,
    Channel,
    DeclineReason,
    FollowUp,
    FollowUpKind,
    Invitation,
    Status,
)


class LateCancellation(Exception):
    """Declining an accepted interview less than 24 hours before it: confirm (force=True) first."""

    def __init__(self, invitation, hours_left):
        self.invitation, self.hours_left = invitation, hours_left
        super().__init__(
            f"The interview is in {hours_left:.0f} hours. Cancelling this late hurts the relationship: "
            "call the client if you can. Confirm to cancel anyway."
        )


@dataclass
class Answer:
    """What `respond` did: the saved invitation, the draft it offered, follow-ups opened and closed."""

    invitation: Invitation
    draft: composer.Draft
    opened: list = field(default_factory=list)
    closed: int = 0
    warning: str = ""


def respond(invitation, *, now, action, reason="", busy_until=None, channel="", message=None, suggest="",
            interview_at=None, force=False):
    """Record an answer and the follow-ups it owes, in one transaction; returns an Answer.

    Raises ValidationError (by field) for bad input and LateCancellation for a decline of an
    accepted interview less than 24 hours away unless `force`; in both cases nothing is written.
    Without a `message` the composer's draft for the channel is kept.
    """
    reply = Reply(action=action, reason=reason, busy_until=busy_until, channel=channel, message=message,
                  suggest=suggest, interview_at=interview_at)
    with transaction.atomic():
        # Re-read under a lock, so two answers at once are checked one after the other.
        locked = Invitation.objects.select_for_update(of=("self",)).select_related(
            "client", "referred_by", "owner__profile").get(pk=invitation.pk)
        errors = check_answer(locked, reply, now=now)
        if errors:
            raise ValidationError(errors)
        if action == "decline" and not force and is_late_cancellation(locked, now=now):
            raise LateCancellation(locked, (locked.interview_at - now) / dt.timedelta(hours=1))
        answer = Answer(locked, draft_for(locked, reply, now=now))
        _record(answer, reply, now=now)
    invitation.refresh_from_db()
    answer.invitation = invitation
    return answer


def _record(answer, reply, *, now):
    """Save the answer, then close the follow-ups it settles and open the ones it owes."""
    invitation = answer.invitation
    channel = _channel_for(invitation, reply)
    text = _save_answer(answer, reply, channel, now=now)
    answer.warning = composer.platform_warning(text, channel)
    kinds_done = [FollowUpKind.REPLY]
    if not invitation.busy_until:
        kinds_done.append(FollowUpKind.RECONNECT)  # no busy period now: no reconnect was promised
    answer.closed = close_followups(invitation, kinds_done, now=now)
    _settle_reconnect(answer, now=now)
    if invitation.status != Status.WITHDRAWN:
        answer.closed += contact_made(invitation.client, now=now, channel=channel, besides=invitation,
                                      note=f"You answered their invitation “{invitation.title or 'untitled'}”.")
    _tell_the_referrer(answer, now=now)
    if channel == Channel.PHONE:
        _open(answer, FollowUpKind.CONFIRM_IN_WRITING, now=now, due_at=now)


def _channel_for(invitation, reply):
    """The channel the answer went by: the client's usual one unless given (a withdrawal has none of its own)."""
    if ACTIONS[reply.action] == Status.WITHDRAWN:
        return reply.channel
    return reply.channel or composer.default_channel(invitation)


def _decline_reason(reply):
    """A stated busy period is the reason for a decline unless another is given."""
    if reply.busy_until and not reply.reason:
        return DeclineReason.BUSY
    return reply.reason


def _save_answer(answer, reply, channel, *, now):
    """Write the answer on the invitation and keep it as an AnswerEvent; returns the kept text."""
    invitation, status = answer.invitation, ACTIONS[reply.action]
    declined = status == Status.DECLINED
    text = (reply.message or "").strip() or answer.draft.text_for(channel)
    invitation.status = status
    invitation.responded_at = invitation.responded_at or now  # the first answer is the response time
    invitation.response_channel = channel or ""
    invitation.decline_reason = _decline_reason(reply) if declined else ""
    invitation.busy_until = reply.busy_until if declined else None
    if reply.interview_at is not None:
        invitation.interview_at = reply.interview_at
    invitation.response_message = text
    invitation.save()
    AnswerEvent.objects.create(
        owner=invitation.owner, invitation=invitation, at=now, status=status, channel=invitation.response_channel,
        decline_reason=invitation.decline_reason, message=text,
    )
    return text


def _settle_reconnect(answer, *, now):
    """A busy period owes a reconnect due on its last day at the digest hour; an open one is re-dated."""
    invitation = answer.invitation
    if not invitation.busy_until:
        return
    profile = invitation.owner.profile
    due = at_local_hour(invitation.busy_until, profile.digest_hour, profile.zone)
    reconnect, created = _open(answer, FollowUpKind.RECONNECT, now=now, due_at=due)
    if not created and reconnect.due_at != due:
        FollowUp.objects.filter(pk=reconnect.pk).update(due_at=due, snoozed_until=None)


def _open(answer, kind, **kwargs):
    """Open a follow-up of the answer's invitation unless one of that kind is open; as open_followup."""
    followup, created = open_followup(answer.invitation.owner, kind, invitation=answer.invitation, **kwargs)
    if created:
        answer.opened.append(followup)
    return followup, created


def _tell_the_referrer(answer, *, now):
    """A referred decline owes the referrer a word; an open one always says the answer as it stands.

    An acceptance on its own owes nothing (the referral worked), but once a decline made the
    referrer someone to tell, they should hear the final answer: "you took it after all".
    """
    invitation = answer.invitation
    if not invitation.referred_by_id or invitation.status == Status.WITHDRAWN:
        return  # a withdrawal leaves an open word as it was: that answer stood until then
    what = f"“{invitation.title or 'the invitation'}” from {invitation.client.name}"
    if invitation.status == Status.DECLINED:
        note = f"Tell {invitation.referred_by.name} you declined {what}, and thank them."
        _, created = _open(answer, FollowUpKind.NOTIFY_REFERRER, now=now, due_at=now,
                           client=invitation.referred_by, note=note)
        if created:
            return
    else:
        note = f"Tell {invitation.referred_by.name} you took {what} after all, and thank them."
    FollowUp.objects.filter(invitation=invitation, kind=FollowUpKind.NOTIFY_REFERRER, done_at=None).update(note=note)
