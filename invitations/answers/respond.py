"""Answering an invitation (docs/design.md, rule 3): the one place an answer is recorded.

The page, the `respond` command and the demo seed all call respond(), so an answer owes the same
follow-ups and is kept as the same AnswerEvent whichever way it came in. It is checked before
anything is written, then written in one transaction: a bad answer changes nothing.

Saving is not sending: respond(sent=False) checks the answer the same way and keeps it as the
invitation's UnsentAnswer, touching nothing else; confirm_sent() records it once the user says
it went out. So a `reply` follow-up closes only here, on an answer given.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from invitations.answers import composer
from invitations.answers.checks import check_answer
from invitations.answers.coherence import busy_period_warning
from invitations.answers.reply import ACTIONS, Reply, decline_reason, draft_for, is_late_cancellation
from invitations.clock import at_local_hour
from invitations.followups.lifecycle import close_followups, open_followup
from invitations.followups.reconnects import contact_made
from invitations.models import (
    AnswerEvent,
    Channel,
    FollowUp,
    FollowUpKind,
    Invitation,
    Status,
    UnsentAnswer,
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
    """What `respond` did: the invitation, the draft it offered, follow-ups opened and closed, and
    whether it was recorded as given (`sent`) or kept unsent."""

    invitation: Invitation
    draft: composer.Draft
    opened: list = field(default_factory=list)
    closed: int = 0
    warnings: list = field(default_factory=list)
    sent: bool = True

    @property
    def warning(self):
        return " ".join(self.warnings)


def respond(invitation, *, now, action, reason="", busy_until=None, channel="", message=None, suggest="",
            interview_at=None, force=False, sent=True):
    """Record an answer and the follow-ups it owes, in one transaction; returns an Answer.

    Raises ValidationError (by field) for bad input and LateCancellation for a decline of an
    accepted interview less than 24 hours away unless `force`; in both cases nothing is written.
    Without a `message` the composer's draft for the channel is kept. `sent=False` keeps an
    acceptance or a decline as the invitation's UnsentAnswer instead (replacing one kept before)
    and writes nothing else; a withdrawal is the client's doing and is recorded at once.
    """
    reply = Reply(action=action, reason=reason, busy_until=busy_until, channel=channel, message=message,
                  suggest=suggest, interview_at=interview_at)
    with transaction.atomic():
        # Re-read under a lock, so two answers at once are checked one after the other.
        locked = lock(invitation)
        errors = check_answer(locked, reply, now=now)
        if errors:
            raise ValidationError(errors)
        if action == "decline" and not force and is_late_cancellation(locked, now=now):
            raise LateCancellation(locked, (locked.interview_at - now) / dt.timedelta(hours=1))
        answer = Answer(locked, draft_for(locked, reply, now=now))
        if sent or ACTIONS[action] == Status.WITHDRAWN:
            _record(answer, reply, now=now)
        else:
            _keep_unsent(answer, reply, now=now)
    invitation.refresh_from_db()
    answer.invitation = invitation
    return answer


def lock(invitation):
    """The invitation re-read under a row lock (PostgreSQL; SQLite's writers take turns anyway)."""
    return Invitation.objects.select_for_update(of=("self",)).select_related(
        "client", "referred_by", "owner__profile").get(pk=invitation.pk)


def confirm_sent(invitation, *, now, channel=""):
    """The user sent the answer they saved, or (`channel`) gave it another way: record it through respond().

    Checked under the invitation's lock, so two clicks record it once. ValidationError when no
    answer is waiting to be confirmed (sent already, or replaced by one given another way).
    """
    with transaction.atomic():
        unsent = UnsentAnswer.objects.filter(invitation=lock(invitation)).first()
        if unsent is None:
            raise ValidationError({"unsent": ["No saved answer is waiting to be sent; it was recorded already."]})
        action = {status: action for action, status in ACTIONS.items()}[unsent.status]
        return respond(
            invitation, now=now, action=action, reason=unsent.decline_reason, busy_until=unsent.busy_until,
            channel=channel or unsent.channel, message=unsent.message, suggest=unsent.suggest,
            interview_at=unsent.interview_at, force=True,
        )


def _keep_unsent(answer, reply, *, now):
    """Keep the checked answer as the invitation's UnsentAnswer: nothing else changes until it is sent."""
    invitation = answer.invitation
    channel = _channel_for(invitation, reply)
    text = _kept_text(answer.draft, reply, channel)
    UnsentAnswer.objects.update_or_create(invitation=invitation, defaults={
        "owner": invitation.owner, "saved_at": now, "status": ACTIONS[reply.action], "channel": channel,
        "decline_reason": decline_reason(reply) if reply.action == "decline" else "",
        "busy_until": reply.busy_until, "interview_at": reply.interview_at, "suggest": reply.suggest or "",
        "message": text,
    })
    answer.sent = False
    answer.warnings = text_warnings(invitation, reply, text, channel)


def text_warnings(invitation, reply, text, channel):
    """What to fix in a kept text before it goes out: contact details on a platform, a busy period left out
    (named as the client's language writes dates)."""
    language = invitation.client.draft_language
    return [line for line in (composer.platform_warning(text, channel), busy_period_warning(reply, text, language))
            if line]


def _kept_text(draft, reply, channel):
    """The user's own message, or the composer's draft for the channel when they gave none."""
    return (reply.message or "").strip() or draft.text_for(channel)


def _record(answer, reply, *, now):
    """Save the answer, then close the follow-ups it settles and open the ones it owes."""
    invitation = answer.invitation
    channel, text, event = recorded(invitation, reply, now=now, draft=answer.draft)
    invitation.save()
    event.save()
    answer.warnings = text_warnings(invitation, reply, text, channel)
    UnsentAnswer.objects.filter(invitation=invitation).delete()  # an answer given replaces one kept unsent
    kinds_done = [FollowUpKind.REPLY]
    if not invitation.busy_until:
        kinds_done.append(FollowUpKind.RECONNECT)  # no busy period now: no reconnect was promised
    answer.closed = close_followups(invitation, kinds_done, now=now)
    for kind, details in owed(invitation, channel, now=now):
        followup, created = _open(answer, kind, now=now, **details)
        if not created:
            _restate(followup, details)
    if invitation.status != Status.WITHDRAWN:
        answer.closed += contact_made(invitation.client, now=now, channel=channel, besides=invitation,
                                      note=answered_note(invitation))
    if invitation.referred_by_id and invitation.status == Status.ACCEPTED:
        # Once a decline made the referrer someone to tell, they hear the answer as it stands.
        FollowUp.objects.filter(invitation=invitation, kind=FollowUpKind.NOTIFY_REFERRER, done_at=None).update(
            note=referrer_note(invitation))


def recorded(invitation, reply, *, now, draft=None):
    """Write a checked answer on `invitation`, in memory: (channel, kept text, its AnswerEvent unsaved).

    respond() saves them one by one; an import of many first answers saves them in bulk. `draft`:
    the composer's draft for it when made already (made here, before the answer changes what it
    says, when the answer needs it: one with no message of the user's).
    """
    channel = _channel_for(invitation, reply)
    if not (reply.message or "").strip() and draft is None:
        draft = draft_for(invitation, reply, now=now)
    text = _kept_text(draft, reply, channel)
    status = ACTIONS[reply.action]
    declined = status == Status.DECLINED
    invitation.status = status
    invitation.responded_at = invitation.responded_at or now  # the first answer is the response time
    invitation.response_channel = channel or ""
    invitation.decline_reason = decline_reason(reply) if declined else ""
    invitation.busy_until = reply.busy_until if declined else None
    if reply.interview_at is not None:
        invitation.interview_at = reply.interview_at
    invitation.response_message = text
    event = AnswerEvent(
        owner=invitation.owner, invitation=invitation, at=now, status=status, channel=invitation.response_channel,
        decline_reason=invitation.decline_reason, message=text,
    )
    return channel, text, event


def owed(invitation, channel, *, now):
    """The follow-ups an answer recorded on `invitation` owes, as [(kind, open_followup's arguments)].

    A busy period owes a reconnect due on its last day at the digest hour; a referred decline a
    word to the referrer; a phone answer a confirmation in writing.
    """
    owes = []
    if invitation.busy_until:
        profile = invitation.owner.profile
        owes.append((FollowUpKind.RECONNECT, {"due_at": at_local_hour(invitation.busy_until, profile.digest_hour,
                                                                      profile.zone)}))
    if invitation.referred_by_id and invitation.status == Status.DECLINED:
        owes.append((FollowUpKind.NOTIFY_REFERRER, {"due_at": now, "client": invitation.referred_by,
                                                    "note": referrer_note(invitation)}))
    if channel == Channel.PHONE:
        owes.append((FollowUpKind.CONFIRM_IN_WRITING, {"due_at": now}))
    return owes


def answered_note(invitation):
    """How the contact rule records the reconnects an answer made moot."""
    return f"You answered their invitation “{invitation.display_title}”."


def referrer_note(invitation):
    """What the referrer is to hear: the answer as it stands ("you took it after all")."""
    what = f"“{invitation.display_title}” from {invitation.client.name}"
    if invitation.status == Status.DECLINED:
        return f"Tell {invitation.referred_by.name} you declined {what}, and thank them."
    return f"Tell {invitation.referred_by.name} you took {what} after all, and thank them."


def _restate(followup, details):
    """An owed follow-up open already: a reconnect is re-dated to the busy period as it stands now,
    a word to the referrer re-worded to the answer as it stands."""
    if followup.kind == FollowUpKind.RECONNECT and followup.due_at != details["due_at"]:
        FollowUp.objects.filter(pk=followup.pk).update(due_at=details["due_at"], snoozed_until=None)
    elif followup.kind == FollowUpKind.NOTIFY_REFERRER:
        FollowUp.objects.filter(pk=followup.pk, done_at=None).update(note=details["note"])


def _channel_for(invitation, reply):
    """The channel the answer went by: the client's usual one unless given (a withdrawal has none of its own)."""
    if ACTIONS[reply.action] == Status.WITHDRAWN:
        return reply.channel
    return reply.channel or composer.default_channel(invitation)


def _open(answer, kind, **kwargs):
    """Open a follow-up of the answer's invitation unless one of that kind is open; as open_followup."""
    followup, created = open_followup(answer.invitation.owner, kind, invitation=answer.invitation, **kwargs)
    if created:
        answer.opened.append(followup)
    return followup, created
