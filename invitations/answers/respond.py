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
from invitations.clock import at_local_hour, local_date
from invitations.followups.lifecycle import close_followups, open_followup
from invitations.text import NUL_ERROR, has_nul
from invitations.models import AnswerEvent, Channel, DeclineReason, FollowUp, FollowUpKind, Invitation, Status
from invitations.answers.periods import check_busy_until
from invitations.followups.reconnects import contact_made

ACTIONS = {"accept": Status.ACCEPTED, "decline": Status.DECLINED, "withdrawn": Status.WITHDRAWN}
# Cancelling an accepted interview closer than this to it needs a confirmation (force=True).
LATE_CANCELLATION = dt.timedelta(hours=24)
MESSAGE_LIMIT = 10_000
SUGGEST_LIMIT = 200

# Which earlier status each answer may follow. A withdrawn invitation is over; a decline may
# be turned into an acceptance (the user changed their mind) and an acceptance cancelled.
ALLOWED_FROM = {
    Status.ACCEPTED: {Status.OPEN, Status.ACCEPTED, Status.DECLINED},
    Status.DECLINED: {Status.OPEN, Status.DECLINED, Status.ACCEPTED},
    Status.WITHDRAWN: {Status.OPEN, Status.ACCEPTED},
}


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


def draft_for(invitation, reply, *, now):
    """The composer's draft for this answer (the page shows it before anything is saved)."""
    zone = invitation.owner.profile.zone
    if reply.action == "decline":
        return composer.compose_decline(
            invitation, reason=reply.reason or "", busy_until=reply.busy_until, suggest=reply.suggest or "",
            late=is_late_cancellation(invitation, now=now), zone=zone,
        )
    if reply.action == "accept":
        return composer.compose_accept(invitation, interview_at=reply.interview_at, zone=zone)
    return composer.Draft()


def _action_error(invitation, reply, *, now):
    """An answer must be one of ACTIONS and may follow only what ALLOWED_FROM lets it."""
    status = ACTIONS.get(reply.action)
    if status is None:
        return f"{reply.action!r} is not an answer; use accept, decline or withdrawn."
    if invitation.status not in ALLOWED_FROM[status]:
        return _refusal(invitation, status)
    return None


def _reason_error(invitation, reply, *, now):
    """A reason is one of DeclineReason, and only a decline gives one."""
    if reply.reason and reply.reason not in DeclineReason.values:
        return f"{reply.reason!r} is not a decline reason; use one of: {', '.join(DeclineReason.values)}."
    if reply.reason and reply.action != "decline":
        return "Only a decline has a reason."
    return None


def _busy_until_error(invitation, reply, *, now):
    """Only a decline states a busy period; its last day is after today and not years away (periods)."""
    if reply.busy_until is None:
        return None
    if reply.action != "decline":
        return "Only a decline states a busy period."
    try:
        check_busy_until(reply.busy_until, today=local_date(now, invitation.owner.profile.zone))
    except ValueError as exc:
        return f"{exc}."
    return None


def _channel_error(invitation, reply, *, now):
    """An empty channel means the usual one; any other must be a Channel."""
    if reply.channel and reply.channel not in Channel.values:
        return f"{reply.channel!r} is not a channel; use one of: {', '.join(Channel.values)}."
    return None


def _suggest_error(invitation, reply, *, now):
    """A suggestion is written into a decline's draft: only a decline has one, short and without NUL."""
    if reply.suggest and reply.action != "decline":
        return "Only a decline suggests someone else."
    if len(reply.suggest or "") > SUGGEST_LIMIT:
        return f"Keep the suggestion under {SUGGEST_LIMIT} characters."
    if has_nul(reply.suggest):  # it is written into the kept message
        return NUL_ERROR
    return None


def _message_error(invitation, reply, *, now):
    """The kept message fits its field and holds no NUL (PostgreSQL refuses one: has_nul)."""
    if len(reply.message or "") > MESSAGE_LIMIT:
        return f"The message is {len(reply.message)} characters; keep it under {MESSAGE_LIMIT}."
    if has_nul(reply.message):
        return NUL_ERROR
    return None


def _interview_at_error(invitation, reply, *, now):
    """Only an acceptance sets the interview, which cannot come before the invitation."""
    if reply.interview_at is None:
        return None
    if reply.action != "accept":
        return "Only an acceptance sets the interview time."
    if reply.interview_at < invitation.received_at:
        return "The interview is before the invitation arrived."
    return None


# Field -> its check: the problem with that field of a Reply, or None. In the order they are reported.
FIELD_CHECKS = {
    "action": _action_error,
    "reason": _reason_error,
    "busy_until": _busy_until_error,
    "channel": _channel_error,
    "suggest": _suggest_error,
    "message": _message_error,
    "interview_at": _interview_at_error,
}


def check_answer(invitation, reply, *, now):
    """Problems with an answer, by field (empty when it can be saved)."""
    errors = {}
    for name, check in FIELD_CHECKS.items():
        problem = check(invitation, reply, now=now)
        if problem:
            errors[name] = [problem]
    return errors


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


def _refusal(invitation, status):
    if invitation.status == Status.WITHDRAWN:
        return "The client withdrew this invitation; there is nothing left to answer."
    if status == Status.WITHDRAWN:
        return "You declined this invitation already; it cannot be withdrawn now."
    return f"This invitation is {invitation.get_status_display().lower()}; it cannot be {status.label.lower()}."
