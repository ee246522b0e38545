"""Replies noticed (docs/design.md, rule 12): the user's own answer, sent from their mail, is recorded."""

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from invitations.answers.reply import Reply, draft_for
from invitations.intake import replies
from invitations.intake.capture import capture
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind, InboundMessage, Invitation, NoticedReply, Status
from invitations.reminders.sweep import sweep

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CLIENT = "sophie@atelier-nord.de"


def reply(body, *, sender="alice@example.com", to=CLIENT, refs=None, date=NOW - dt.timedelta(hours=2)):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, "Re: Django developer"
    message["Date"], message["Message-ID"] = format_datetime(date), "<r1@mail.example.com>"
    if refs:
        message["In-Reply-To"] = message["References"] = refs
    message.set_content(body)
    return bytes(message)


QUOTED = "\n\nOn Mon, 30 Nov 2026 at 10:00, Sophie <sophie@atelier-nord.de> wrote:\n> Would you have time for an interview?\n"


@pytest.fixture
def invitation(alice):
    return log_invitation(alice, now=NOW - dt.timedelta(days=1), client="Sophie Laurent", email=CLIENT,
                          title="Django developer", received_at=NOW - dt.timedelta(days=1),
                          reply_by=NOW + dt.timedelta(hours=6))


def test_a_decline_to_the_clients_address_is_recorded_with_its_busy_period_and_reconnect(alice, invitation):
    text = "Hi Sophie,\n\nThank you for thinking of me. I have to decline: I am fully booked until 15 January.\n\nAlice"
    noticed = replies.notice(reply(text + QUOTED), owner=alice, now=NOW)

    assert noticed == (invitation, "decline")
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED and invitation.response_channel == "email"
    assert invitation.responded_at == NOW - dt.timedelta(hours=2)  # its Date, not when noghost read it
    assert invitation.busy_until == dt.date(2027, 1, 15)
    assert invitation.response_message.startswith("Hi Sophie") and "wrote:" not in invitation.response_message
    assert FollowUp.objects.filter(invitation=invitation, kind=FollowUpKind.RECONNECT, done_at=None).exists()
    assert not FollowUp.objects.filter(invitation=invitation, kind=FollowUpKind.REPLY, done_at=None).exists()


@pytest.mark.parametrize("answer, status", [
    (Reply(action="decline", reason="busy", busy_until=dt.date(2027, 2, 1)), Status.DECLINED),
    (Reply(action="accept"), Status.ACCEPTED),
])
def test_noghosts_own_drafts_count_as_the_answer_they_give(alice, invitation, answer, status):
    draft = draft_for(invitation, answer, now=NOW)
    assert replies.notice(reply(draft.email), owner=alice, now=NOW) == (invitation, answer.action)
    invitation.refresh_from_db()
    assert invitation.status == status


def test_an_acceptance_by_in_reply_to_the_captured_message_is_recorded(alice, invitation):
    InboundMessage.objects.create(owner=alice, message_id="orig@atelier-nord.de", sender=CLIENT, size=1, raw=b"x",
                                  received_at=NOW, state=InboundMessage.State.LOGGED, invitation=invitation)
    raw = reply("Sounds great, Tuesday at 3 works for me.", to="someone-else@example.org", refs="<orig@atelier-nord.de>")

    assert replies.notice(raw, owner=alice, now=NOW) == (invitation, "accept")
    invitation.refresh_from_db()
    assert invitation.status == Status.ACCEPTED and invitation.response_channel == "email"


def test_an_unclear_reply_stops_the_nudges_and_asks_on_the_dashboard(alice, invitation, mailoutbox):
    text = "Hi Sophie, could you tell me more about the budget first?"
    assert replies.notice(reply(text), owner=alice, now=NOW) == (invitation, None)

    invitation.refresh_from_db()
    assert invitation.status == Status.OPEN and invitation.responded_at == NOW - dt.timedelta(hours=2)
    assert NoticedReply.objects.get(invitation=invitation).message == text
    assert not Invitation.objects.filter(owner=alice).overdue(NOW + dt.timedelta(days=1)).exists()
    result = sweep(NOW + dt.timedelta(days=1))  # past its reply-by: it is answered, so no nudge
    assert (result.flagged, result.nudged) == (0, 0) and mailoutbox == []


def test_a_reply_to_nobody_known_or_to_an_answered_invitation_changes_nothing(alice, invitation):
    assert replies.notice(reply("Lunch?", to="friend@example.org"), owner=alice, now=NOW) is None
    Invitation.objects.filter(pk=invitation.pk).update(status=Status.DECLINED, responded_at=NOW)
    assert replies.notice(reply("I have to decline."), owner=alice, now=NOW) is None
    assert not NoticedReply.objects.exists()


def test_another_users_invitation_is_never_answered(alice, bob, invitation):
    assert replies.notice(reply("I have to decline.", sender="bob@example.com"), owner=bob, now=NOW) is None
    invitation.refresh_from_db()
    assert invitation.status == Status.OPEN


def test_a_bcc_to_the_forwarding_address_records_the_answer_and_is_kept(alice, invitation):
    raw = reply("Thanks Sophie, I'm unable to take this on for three weeks.")
    message = capture(raw, owner=alice, now=NOW, via="smtp")

    assert message.state == InboundMessage.State.NOT_INVITATION and message.invitation == invitation
    assert message.reason == f"Your reply to invitation {invitation.pk}: recorded as declined."
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED and invitation.busy_until == dt.date(2026, 12, 22)


def test_mail_from_someone_else_to_the_client_is_not_taken_for_the_users_reply(alice, invitation):
    message = capture(reply("I have to decline.", sender="mallory@example.net"), owner=alice, now=NOW, via="smtp")
    assert message.found.get("kind") != "reply"
    invitation.refresh_from_db()
    assert invitation.status == Status.OPEN
