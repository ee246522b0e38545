"""End to end against a real Dovecot: an invitation captured from the inbox, answered from the
user's mail client (its Sent folder), is never nudged; a draft never sent still is (rule 12)."""

import datetime as dt

import pytest

from invitations.intake.inbox import log_from
from invitations.mailboxes.sync import sync
from invitations.models import InboundMessage, Invitation, NoticedReply, Status
from invitations.reminders.sweep import sweep
from tests.mailboxes.conftest import mail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.imap]
CLIENT = "Sophie Laurent <sophie@atelier-nord.de>"


def now():
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@pytest.fixture
def captured(alice, dovecot, mailbox_for):
    """A client's direct invitation read from the INBOX by the sync, logged from the review inbox."""
    mailbox = mailbox_for(alice)
    dovecot.append(dovecot.user, mail(1, sender=CLIENT, to="alice@example.com", subject="Interview next week?",
                                      body="Hello Alice, would you have time for a short interview next week?"))
    sync(mailbox, now=now())
    message = InboundMessage.objects.get(owner=alice, message_id="m1@example.org")
    assert message.state == InboundMessage.State.REVIEW  # someone writing directly: checked by the user
    invitation = log_from(message, now=now(), client="Sophie Laurent", email="sophie@atelier-nord.de",
                          title="Django developer", reply_by=now() + dt.timedelta(hours=1))
    return mailbox, invitation


def answer(dovecot, body, folder="Sent"):
    dovecot.append(dovecot.user, mail(2, sender="Alice <alice@example.com>", to=CLIENT, subject="Re: Interview next week?",
                                      body=body, In_Reply_To="<m1@example.org>", References="<m1@example.org>"),
                   folder=folder)


def test_a_decline_sent_from_the_mail_client_is_recorded_and_never_nudged(alice, dovecot, captured):
    mailbox, invitation = captured
    answer(dovecot, "Hi Sophie,\nthank you! I have to decline, I'm fully booked for three weeks.\n\n"
                    "On Monday, Sophie wrote:\n> Hello Alice, would you have time?")

    sync(mailbox, now=now())

    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED and invitation.response_channel == "email"
    assert "wrote:" not in invitation.response_message
    assert invitation.busy_until is not None
    result = sweep(now() + dt.timedelta(hours=2))
    assert (result.flagged, result.nudged) == (0, 0)


def test_an_unclear_reply_stops_the_nudges_and_is_asked_about(alice, dovecot, captured):
    mailbox, invitation = captured
    answer(dovecot, "Hi Sophie, what budget do you have in mind?")

    sync(mailbox, now=now())
    sync(mailbox, now=now())  # read twice: asked about once

    assert NoticedReply.objects.filter(owner=alice, invitation=invitation).count() == 1
    assert sweep(now() + dt.timedelta(hours=2)).nudged == 0
    assert Invitation.objects.get(pk=invitation.pk).status == Status.OPEN


def test_a_draft_saved_but_never_sent_is_still_nudged(alice, dovecot, captured):
    mailbox, invitation = captured
    connection = dovecot.imap(dovecot.user)
    connection.create("Drafts")
    connection.logout()
    answer(dovecot, "Hi Sophie, I have to decline.", folder="Drafts")

    sync(mailbox, now=now())

    assert Invitation.objects.get(pk=invitation.pk).status == Status.OPEN
    result = sweep(now() + dt.timedelta(hours=2))
    assert (result.flagged, result.nudged) == (1, 1)
