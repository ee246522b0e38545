"""capture(): stored first, read once; bad input ends in a stored message with a state and a reason."""

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from invitations.intake import acting
from invitations.intake.capture import capture, retry
from invitations.intake.outcomes import describe
from invitations.models import FollowUp, InboundMessage, Invitation

CORPUS = Path(__file__).parent / "corpus"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
State = InboundMessage.State
pytestmark = pytest.mark.django_db


def invite(**changes):
    """The Upwork invitation of the corpus, with some of its raw bytes changed."""
    raw = (CORPUS / "upwork-invite-multipart.eml").read_bytes()
    for old, new in changes.items():
        raw = raw.replace(old.encode(), new.encode() if isinstance(new, str) else new)
    return raw


def take(raw, owner, **kwargs):
    return capture(raw, owner=owner, now=NOW, via="pipe", **kwargs)


def only_message(owner):
    [message] = InboundMessage.objects.filter(owner=owner)
    return message


def test_a_sure_invitation_is_logged_and_described_in_one_line(alice):
    message = take(invite(), alice)

    invitation = message.invitation
    assert message.state == State.LOGGED and message.confidence == 1.0 and message.recogniser == "upwork"
    assert describe(message, alice.profile.zone) == (
        f'logged invitation {invitation.pk}: "Django REST API for a logistics dashboard" from Jonas Becker (upwork), '
        "reply by 2026-11-24 23:59 CET")
    assert message.sender == "Upwork <donotreply@upwork.com>" and message.size == len(invite())


def test_the_same_message_twice_is_one_row_and_one_invitation(alice, bob):
    first = take(invite(), alice)
    again = take(invite(), alice)

    assert again.pk == first.pk and again.repeated and not first.repeated
    assert describe(again, alice.profile.zone).startswith(f"already received as message {first.pk}: logged invitation")
    assert Invitation.objects.count() == 1
    assert take(invite(), bob).state == State.LOGGED  # the same mail for someone else is theirs


def test_a_message_without_message_id_is_known_by_its_bytes(alice):
    raw = invite(**{"Message-ID:": "X-Old-Message-ID:"})
    assert take(raw, alice).message_id.startswith("sha256:")
    assert take(raw, alice).repeated and InboundMessage.objects.count() == 1


def test_a_recogniser_that_crashes_leaves_it_failed_with_nothing_half_logged_then_retry_logs_it(alice, monkeypatch):
    real_log = acting.log_invitation

    def log_then_crash(*args, **kwargs):
        real_log(*args, **kwargs)
        raise RuntimeError("the recogniser tripped")

    monkeypatch.setattr(acting, "log_invitation", log_then_crash)
    message = take(invite(), alice)

    assert message.state == State.FAILED
    assert message.reason == ("noghost could not read it (RuntimeError: the recogniser tripped). "
                              "Try again, or log it by hand.")
    assert not Invitation.objects.exists() and not FollowUp.objects.exists()
    assert describe(message, alice.profile.zone).startswith("failed: noghost could not read it")

    monkeypatch.setattr(acting, "log_invitation", real_log)
    message = retry(message, now=NOW)
    assert message.state == State.LOGGED and Invitation.objects.count() == 1


def test_a_message_read_already_is_not_read_again(alice):
    message = take(invite(), alice)
    assert retry(message, now=NOW).invitation == message.invitation
    assert Invitation.objects.count() == 1


def build(subject="Invitation to interview: Data work", sender="Upwork <donotreply@upwork.com>", body="Hi", **extra):
    message = EmailMessage()
    message["From"], message["Subject"], message["Message-ID"] = sender, subject, "<built@example.com>"
    for name, value in extra.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


BAD_INPUT = {
    "no headers": b"Hello Alice,\n\nCan we talk about a project?\n",
    "broken MIME boundary": (
        b"From: Sophie <sophie@atelier-nord.de>\nSubject: Interview next week?\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/alternative; boundary="never-closed"\n\n--not-the-boundary\n'
        b"Content-Type: text/plain\n\nCould we do a call about a freelance project?\n"
    ),
    "NUL bytes": invite(**{"Jonas Becker from": "Jonas\x00 Becker from", "Invitation to interview:": "Invitation\x00 to interview:"}),
    "invalid UTF-8": (
        b"From: Omar <omar@haddad-design.ae>\nSubject: Quote \xff\xfe for an app\nContent-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: 8bit\n\nCould you send a quote \xc3\x28 for our app?\n"
    ),
    "unknown charset": (
        b"From: Omar <omar@haddad-design.ae>\nSubject: Quote\nContent-Type: text/plain; charset=x-klingon\n\n"
        b"Could you send a quote for our app?\n"
    ),
    "a 2,000-line subject": build(subject="LONG").as_bytes().replace(
        b"LONG", b"\n ".join([b"Invitation to interview: an endless title"] * 2000)),
    "HTML with scripts and javascript: links": build(sender="Mark <mark@tanandpartners.sg>", subject="Quote?").as_bytes()
    .replace(b"Hi", b"<p>Could you send a quote?</p><script>alert(1)</script><a href='javascript:alert(2)'>x</a>")
    .replace(b"text/plain", b"text/html"),
    "a Date before 2000 and one in the future": invite(**{"Date: Tue, 17 Nov 2026": "Date: Tue, 17 Nov 1970"}),
    "a header the parser chokes on": invite(**{"To: Alice Martin <alice.martin@fastmail.com>": "To: \"\\\" <<@>>,,@"}),
}


@pytest.mark.parametrize("name", BAD_INPUT)
def test_bad_input_ends_in_a_stored_message_with_a_state_and_a_reason(alice, name):
    message = take(BAD_INPUT[name], alice)

    stored = InboundMessage.objects.get(pk=message.pk)
    assert bytes(stored.raw) == BAD_INPUT[name]
    assert stored.state in {State.LOGGED, State.REVIEW, State.NOT_INVITATION}
    assert stored.state == State.LOGGED or stored.reason
    assert "\x00" not in stored.subject + stored.preview + stored.reason + str(stored.found)
    assert "alert(" not in stored.preview and "javascript:" not in str(stored.found)
    assert len(stored.subject) <= 300
    for invitation in Invitation.objects.filter(owner=alice):  # whole, never half-logged
        assert invitation.followups.get().kind == "reply" and len(invitation.title) <= 200


def test_no_headers_and_a_broken_boundary_say_so(alice):
    assert "it has no headers" in take(BAD_INPUT["no headers"], alice).reason
    assert "its MIME structure is broken" in take(BAD_INPUT["broken MIME boundary"], alice).reason


def test_an_arrival_before_2000_is_taken_as_now(alice):
    assert take(BAD_INPUT["a Date before 2000 and one in the future"], alice).invitation.received_at == NOW


def test_a_message_over_the_size_limit_is_kept_unread_for_review(alice, settings):
    settings.INBOUND_MAX_BYTES = 20 * 2**20
    attachment = build()
    attachment.add_attachment(b"\x00" * (21 * 2**20), maintype="application", subtype="pdf", filename="brief.pdf")
    raw = attachment.as_bytes()

    message = take(raw, alice)

    assert message.state == State.REVIEW and len(bytes(message.raw)) == len(raw)
    assert message.reason.startswith("It is 28.") and "over the 20 MB noghost reads" in message.reason
    assert not Invitation.objects.exists()


def test_a_forged_platform_sender_is_read_but_never_logged_without_a_look(alice, bob):
    raw = invite(**{"dmarc=pass": "dmarc=fail"})

    message = take(raw, bob)

    assert message.owner == bob and message.state == State.REVIEW
    assert message.reason == "Not logged: the sender could not be verified (DMARC failed at your mail server)."
    assert message.found["client"] == "Jonas Becker"  # what was found waits for the look
    assert not InboundMessage.objects.filter(owner=alice).exists() and not Invitation.objects.exists()


def test_a_reminder_after_14_days_is_a_new_invitation_but_the_same_link_never_is(alice):
    first = take((CORPUS / "toptal-interview-request.eml").read_bytes(), alice).invitation
    Invitation.objects.filter(pk=first.pk).update(received_at=first.received_at - dt.timedelta(days=15),
                                                  reply_by=first.reply_by - dt.timedelta(days=15))
    later = take((CORPUS / "toptal-reminder.eml").read_bytes(), alice)
    assert later.state == State.LOGGED and later.invitation != first


def test_capturing_takes_as_many_queries_however_many_invitations_there_are(alice):
    def queries(raw):
        with CaptureQueriesContext(connection) as counted:
            assert take(raw, alice).state == State.LOGGED
        return len(counted)

    take(invite(), alice)  # its client is new; the client of the two measured below is known
    first = queries(invite(**{"1783452099": "1783452100", "Message-ID: <": "Message-ID: <second-",
                              "interview: Django": "interview: Another Django"}))
    for n in range(30):
        take(invite(**{"1783452099": f"17834520{n:02}", "Message-ID: <": f"Message-ID: <{n}-",
                       "Subject: Invitation to interview: Django": f"Subject: Invitation to interview: {n} Django"}), alice)
    assert Invitation.objects.count() == 32
    assert queries(invite(**{"1783452099": "1783452199", "Message-ID: <": "Message-ID: <last-",
                             "interview: Django": "interview: The last Django"})) == first
