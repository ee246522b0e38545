"""What makes an answer acceptable: one check per field of a Reply, each naming its problem."""

from invitations.answers.coherence import contradiction
from invitations.answers.periods import check_busy_until
from invitations.answers.reply import ACTIONS
from invitations.clock import local_date
from invitations.models import Channel, DeclineReason, Status
from invitations.text import text_problem

MESSAGE_LIMIT = 10_000
SUGGEST_LIMIT = 200

# Which earlier status each answer may follow. A withdrawn invitation is over; a decline may
# be turned into an acceptance (the user changed their mind) and an acceptance cancelled.
ALLOWED_FROM = {
    Status.ACCEPTED: {Status.OPEN, Status.ACCEPTED, Status.DECLINED},
    Status.DECLINED: {Status.OPEN, Status.DECLINED, Status.ACCEPTED},
    Status.WITHDRAWN: {Status.OPEN, Status.ACCEPTED},
}


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
    """A suggestion is written into a decline's draft: only a decline has one, short and plain text."""
    if reply.suggest and reply.action != "decline":
        return "Only a decline suggests someone else."
    if len(reply.suggest or "") > SUGGEST_LIMIT:
        return f"Keep the suggestion under {SUGGEST_LIMIT} characters."
    return text_problem(reply.suggest)  # it is written into the kept message


def _message_error(invitation, reply, *, now):
    """The kept message fits its field, is text (no NUL, which PostgreSQL refuses, nor control
    characters), and does not give the other answer in noghost's words (coherence.contradiction)."""
    if len(reply.message or "") > MESSAGE_LIMIT:
        return f"The message is {len(reply.message)} characters; keep it under {MESSAGE_LIMIT}."
    problem = text_problem(reply.message)
    if problem:
        return problem
    if ACTIONS.get(reply.action) is None:
        return None  # no answer to agree with: the action's own check says so
    return contradiction(invitation, reply, now=now)


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


def _refusal(invitation, status):
    if invitation.status == Status.WITHDRAWN:
        return "The client withdrew this invitation; there is nothing left to answer."
    if status == Status.WITHDRAWN:
        return "You declined this invitation already; it cannot be withdrawn now."
    return f"This invitation is {invitation.get_status_display().lower()}; it cannot be {status.label.lower()}."
