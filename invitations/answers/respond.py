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


def draft_for(invitation, *, now, action, reason="", busy_until=None, suggest="", interview_at=None):
    """The composer's draft for this answer (the page shows it before anything is saved)."""
    zone = invitation.owner.profile.zone
    if action == "decline":
        return composer.compose_decline(
            invitation, reason=reason or "", busy_until=busy_until, suggest=suggest or "",
            late=is_late_cancellation(invitation, now=now), zone=zone,
        )
    if action == "accept":
        return composer.compose_accept(invitation, interview_at=interview_at, zone=zone)
    return composer.Draft()


def check_answer(invitation, *, now, action, reason="", busy_until=None, channel="", message=None, suggest="",
                 interview_at=None):
    """Problems with an answer, by field (empty when it can be saved)."""
    errors = {}
    status = ACTIONS.get(action)
    if status is None:
        errors["action"] = [f"{action!r} is not an answer; use accept, decline or withdrawn."]
    elif invitation.status not in ALLOWED_FROM[status]:
        errors["action"] = [_refusal(invitation, status)]
    if reason and reason not in DeclineReason.values:
        errors["reason"] = [f"{reason!r} is not a decline reason; use one of: {', '.join(DeclineReason.values)}."]
    elif reason and action != "decline":
        errors["reason"] = ["Only a decline has a reason."]
    if busy_until is not None:
        if action != "decline":
            errors["busy_until"] = ["Only a decline states a busy period."]
        else:
            try:
                check_busy_until(busy_until, today=local_date(now, invitation.owner.profile.zone))
            except ValueError as exc:
                errors["busy_until"] = [f"{exc}."]
    if channel and channel not in Channel.values:
        errors["channel"] = [f"{channel!r} is not a channel; use one of: {', '.join(Channel.values)}."]
    if suggest and action != "decline":
        errors["suggest"] = ["Only a decline suggests someone else."]
    elif len(suggest or "") > SUGGEST_LIMIT:
        errors["suggest"] = [f"Keep the suggestion under {SUGGEST_LIMIT} characters."]
    elif has_nul(suggest):  # it is written into the kept message
        errors["suggest"] = [NUL_ERROR]
    if len(message or "") > MESSAGE_LIMIT:
        errors["message"] = [f"The message is {len(message)} characters; keep it under {MESSAGE_LIMIT}."]
    elif has_nul(message):
        errors["message"] = [NUL_ERROR]
    if interview_at is not None:
        if action != "accept":
            errors["interview_at"] = ["Only an acceptance sets the interview time."]
        elif interview_at < invitation.received_at:
            errors["interview_at"] = ["The interview is before the invitation arrived."]
    return errors


def respond(invitation, *, now, action, reason="", busy_until=None, channel="", message=None, suggest="",
            interview_at=None, force=False):
    """Record an answer and the follow-ups it owes, in one transaction; returns an Answer.

    Raises ValidationError (by field) for bad input and LateCancellation for a decline of an
    accepted interview less than 24 hours away unless `force`; in both cases nothing is written.
    Without a `message` the composer's draft for the channel is kept.
    """
    with transaction.atomic():
        # Re-read under a lock, so two answers at once are checked one after the other.
        locked = Invitation.objects.select_for_update(of=("self",)).select_related(
            "client", "referred_by", "owner__profile").get(pk=invitation.pk)
        args = dict(action=action, reason=reason, busy_until=busy_until, suggest=suggest)
        errors = check_answer(locked, now=now, channel=channel, message=message, interview_at=interview_at, **args)
        if errors:
            raise ValidationError(errors)
        if action == "decline" and not force and is_late_cancellation(locked, now=now):
            raise LateCancellation(locked, (locked.interview_at - now) / dt.timedelta(hours=1))
        draft = draft_for(locked, now=now, interview_at=interview_at, **args)
        answer = Answer(locked, draft)
        _record(answer, now=now, action=action, reason=reason, busy_until=busy_until, channel=channel,
                message=message, interview_at=interview_at)
    invitation.refresh_from_db()
    answer.invitation = invitation
    return answer


def _record(answer, *, now, action, reason, busy_until, channel, message, interview_at):
    invitation = answer.invitation
    owner, status = invitation.owner, ACTIONS[action]
    if status == Status.DECLINED and busy_until and not reason:
        reason = DeclineReason.BUSY  # a stated busy period is the reason unless another is given
    if status != Status.WITHDRAWN:
        channel = channel or composer.default_channel(invitation)
    text = (message or "").strip() or answer.draft.text_for(channel)
    invitation.status = status
    invitation.responded_at = invitation.responded_at or now  # the first answer is the response time
    invitation.response_channel = channel or ""
    invitation.decline_reason = reason if status == Status.DECLINED else ""
    invitation.busy_until = busy_until if status == Status.DECLINED else None
    if interview_at is not None:
        invitation.interview_at = interview_at
    invitation.response_message = text
    invitation.save()
    AnswerEvent.objects.create(
        owner=owner, invitation=invitation, at=now, status=status, channel=invitation.response_channel,
        decline_reason=invitation.decline_reason, message=text,
    )
    answer.warning = composer.platform_warning(text, channel)

    kinds_done = [FollowUpKind.REPLY]
    if not invitation.busy_until:
        kinds_done.append(FollowUpKind.RECONNECT)  # no busy period now: no reconnect was promised
    answer.closed = close_followups(invitation, kinds_done, now=now)
    if invitation.busy_until:
        due = at_local_hour(invitation.busy_until, owner.profile.digest_hour, owner.profile.zone)
        reconnect, created = open_followup(owner, FollowUpKind.RECONNECT, now=now, due_at=due, invitation=invitation)
        if not created and reconnect.due_at != due:
            FollowUp.objects.filter(pk=reconnect.pk).update(due_at=due, snoozed_until=None)
        if created:
            answer.opened.append(reconnect)
    if status != Status.WITHDRAWN:
        answer.closed += contact_made(invitation.client, now=now, channel=channel, besides=invitation,
                                      note=f"You answered their invitation “{invitation.title or 'untitled'}”.")
    _tell_the_referrer(answer, now=now)
    if channel == Channel.PHONE:
        followup, created = open_followup(owner, FollowUpKind.CONFIRM_IN_WRITING, now=now, due_at=now,
                                          invitation=invitation)
        if created:
            answer.opened.append(followup)


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
        followup, created = open_followup(invitation.owner, FollowUpKind.NOTIFY_REFERRER, now=now, due_at=now,
                                          invitation=invitation, client=invitation.referred_by, note=note)
        if created:
            answer.opened.append(followup)
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
