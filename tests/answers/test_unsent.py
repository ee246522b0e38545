"""Saving is not sending (issue 19, item 2): an answer kept unsent changes nothing until it went out.

respond(sent=False) keeps the answer as the invitation's UnsentAnswer and writes nothing else, so
the invitation stays open, its reply follow-up stays open and the sweep still flags it at its
reply-by; confirm_sent() records it through respond(), which alone closes the reply.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from invitations.answers.respond import LateCancellation, confirm_sent, respond
from invitations.answers.withdrawals import withdraw
from invitations.intake.log import log_invitation
from invitations.models import AnswerEvent, Channel, FollowUp, FollowUpKind, Invitation, Status, UnsentAnswer
from invitations.reminders.sweep import sweep

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def invitation(alice, now):
    return log_invitation(alice, now=now, client="Maya Lindqvist", title="Django API", platform="upwork")


def reply_of(invitation):
    return FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.REPLY)


def test_a_saved_answer_is_kept_unsent_and_changes_nothing_else(invitation, now):
    answer = respond(invitation, now=now, action="decline", busy_until=dt.date(2026, 12, 11), sent=False)

    assert answer.sent is False and answer.opened == []
    invitation.refresh_from_db()
    assert (invitation.status, invitation.responded_at, invitation.response_message) == (Status.OPEN, None, "")
    assert reply_of(invitation).done_at is None
    assert not AnswerEvent.objects.filter(invitation=invitation).exists()
    assert list(FollowUp.objects.filter(invitation=invitation).values_list("kind", flat=True)) == ["reply"]
    unsent = invitation.unsent
    assert (unsent.status, unsent.channel, unsent.decline_reason, unsent.busy_until, unsent.saved_at) == (
        Status.DECLINED, Channel.PLATFORM, "busy", dt.date(2026, 12, 11), now)
    assert unsent.message == answer.draft.platform and "fully booked until 11 December 2026" in unsent.message


def test_the_sweep_still_flags_an_invitation_whose_answer_was_only_saved(invitation, now):
    respond(invitation, now=now, action="decline", sent=False)

    result = sweep(invitation.reply_by + HOUR)

    invitation.refresh_from_db()
    assert result.flagged == 1 and invitation.flagged_at == invitation.reply_by + HOUR


def test_confirming_it_went_out_records_it_closes_the_reply_and_opens_what_it_owes(invitation, now):
    respond(invitation, now=now, action="decline", busy_until=dt.date(2026, 12, 11), message="Busy until 11 December.",
            sent=False)

    answer = confirm_sent(invitation, now=now + 2 * HOUR)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.responded_at, invitation.response_message) == (
        Status.DECLINED, now + 2 * HOUR, "Busy until 11 December.")
    assert reply_of(invitation).done_at == now + 2 * HOUR
    assert [f.kind for f in answer.opened] == [FollowUpKind.RECONNECT]
    assert not UnsentAnswer.objects.exists()
    assert AnswerEvent.objects.get(invitation=invitation).at == now + 2 * HOUR


def test_answered_another_way_records_it_by_that_channel(invitation, now):
    respond(invitation, now=now, action="accept", sent=False)

    confirm_sent(invitation, now=now + HOUR, channel=Channel.PHONE)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.response_channel) == (Status.ACCEPTED, Channel.PHONE)
    assert FollowUp.objects.filter(invitation=invitation, kind=FollowUpKind.CONFIRM_IN_WRITING, done_at=None).exists()


def test_confirming_twice_records_it_once(invitation, now, unchanged):
    respond(invitation, now=now, action="decline", sent=False)
    confirm_sent(invitation, now=now + HOUR)

    with unchanged(), pytest.raises(ValidationError) as refused:
        confirm_sent(invitation, now=now + 2 * HOUR)
    assert "No saved answer is waiting to be sent" in str(refused.value)
    assert AnswerEvent.objects.filter(invitation=invitation).count() == 1


def test_saving_again_replaces_the_saved_answer(invitation, now):
    respond(invitation, now=now, action="decline", sent=False)
    respond(invitation, now=now + HOUR, action="accept", sent=False)

    assert UnsentAnswer.objects.get().status == Status.ACCEPTED


def test_an_answer_given_another_way_replaces_the_saved_one(invitation, now):
    respond(invitation, now=now, action="decline", sent=False)

    respond(invitation, now=now + HOUR, action="accept", channel=Channel.PHONE)  # `manage.py respond`: given

    assert not UnsentAnswer.objects.exists()
    assert Invitation.objects.get().status == Status.ACCEPTED


@pytest.mark.parametrize("withdrawn_by", ["respond", "withdraw"])
def test_a_withdrawal_is_recorded_at_once_and_drops_the_saved_answer(invitation, now, withdrawn_by):
    respond(invitation, now=now, action="decline", sent=False)

    if withdrawn_by == "respond":
        assert respond(invitation, now=now + HOUR, action="withdrawn", sent=False).sent is True
    else:
        withdraw(Invitation.objects.filter(pk=invitation.pk), now=now + HOUR)

    assert Invitation.objects.get().status == Status.WITHDRAWN and not UnsentAnswer.objects.exists()


def test_a_bad_answer_is_refused_before_anything_is_kept(invitation, now, unchanged):
    with unchanged(), pytest.raises(ValidationError):
        respond(invitation, now=now, action="decline", busy_until=dt.date(2020, 1, 1), sent=False)


def test_a_late_cancellation_needs_confirming_even_to_be_saved(invitation, now, unchanged):
    respond(invitation, now=now, action="accept", interview_at=now + 5 * HOUR)
    with unchanged(), pytest.raises(LateCancellation):
        respond(invitation, now=now, action="decline", sent=False)

    respond(invitation, now=now, action="decline", force=True, sent=False)
    confirm_sent(invitation, now=now + HOUR)  # it went out: recorded, however close the interview is now
    assert Invitation.objects.get().status == Status.DECLINED
