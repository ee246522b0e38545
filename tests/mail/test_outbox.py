"""The outbox: a row first, a send second; failures retried, nothing sent twice."""

import datetime as dt
import smtplib
import socket

import pytest
from django.core import mail
from django.core.mail import BadHeaderError

from invitations.mail.outbox import MAX_ATTEMPTS, claim_batch, deliver_pending, lease, queue_email, undelivered
from invitations.mail.rendering import RenderedEmail
from invitations.mail.sending import RETRY_AT_MOST, hand_off, server_trouble
from invitations.models import OutboundEmail
from tests.support import mailservers

pytestmark = pytest.mark.django_db
MESSAGE = RenderedEmail(subject="Hello", text="Plain body", html="<p>HTML body</p>")
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def test_queued_mail_is_sent_once_with_both_parts(alice, now):
    email = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)

    assert deliver_pending(now) == (1, 0)
    assert deliver_pending(now) == (0, 0)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert mail.outbox[0].alternatives[0].content == "<p>HTML body</p>"
    email.refresh_from_db()
    assert (email.state, email.sent_at, email.attempts) == ("sent", now, 1)


def test_a_failed_send_is_recorded_and_retried_by_the_next_run(alice, now, settings):
    email = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)
    settings.EMAIL_BACKEND = mailservers.DOWN

    assert deliver_pending(now) == (0, 1)
    email.refresh_from_db()
    assert email.state == "failed" and "SMTP server down" in email.last_error

    settings.EMAIL_BACKEND = LOCMEM
    later = now + dt.timedelta(minutes=5)
    assert deliver_pending(later) == (1, 0)
    email.refresh_from_db()
    # attempts counts the sends that were about this message: the one that delivered it, not the outage's.
    assert (email.state, email.attempts, email.sent_at, email.last_error) == ("sent", 1, later, "")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("server", [mailservers.DOWN, mailservers.LOGIN_REJECTED])
def test_a_server_down_or_misconfigured_for_a_whole_day_gives_no_mail_up(alice, now, settings, server):
    email = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)
    settings.EMAIL_BACKEND = server
    runs = [now + dt.timedelta(minutes=5 * n) for n in range(24 * 12)]  # the sweep's runs for a day

    results = [deliver_pending(moment) for moment in runs]
    # Never sent, and tried with back-off: at 0, 5, 10, 20, 40 minutes, then every 30 (51 tries, not 288).
    assert (set(results), results[:6], results.count((0, 1))) == (
        {(0, 1), (0, 0)}, [(0, 1), (0, 1), (0, 1), (0, 0), (0, 1), (0, 0)], 5 + 46)
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("failed", 0)  # no send was this message's fault
    assert undelivered(alice, now + dt.timedelta(minutes=55)) == []  # a short outage: nothing to say yet
    assert undelivered(alice, runs[-1]) == [email]  # late, still retried: its owner hears of it

    settings.EMAIL_BACKEND = LOCMEM
    back = runs[-1] + RETRY_AT_MOST  # the longest back-off: it goes within half an hour of the server's return
    assert [deliver_pending(back), deliver_pending(back)] == [(1, 0), (0, 0)]
    assert len(mail.outbox) == 1
    assert undelivered(alice, back) == []


def test_a_row_left_sending_by_a_crash_is_never_sent_again_on_its_own(alice, now):
    queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)
    [email] = claim_batch(now, token="died")
    assert hand_off(email, "died")  # a run handed it to the server, then its machine died

    assert deliver_pending(now + dt.timedelta(hours=1)) == (0, 0)
    # The next run settles it as unsure (it may have arrived), shown to its owner, not sent.
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("unsure", 1) and "may have arrived" in email.last_error
    assert undelivered(alice, now + dt.timedelta(hours=1)) == [email]
    assert mail.outbox == []


def test_a_row_claimed_by_a_run_that_died_before_handing_it_over_goes_out_on_the_next_run(alice, now):
    email = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)
    assert len(claim_batch(now, token="died")) == 1  # claimed, never handed over, then the run died

    assert deliver_pending(now + dt.timedelta(minutes=1)) == (0, 0)  # the claim still holds
    assert deliver_pending(now + lease()) == (0, 0)
    assert deliver_pending(now + lease() + dt.timedelta(seconds=1)) == (1, 0)  # lapsed: the run is dead

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1) and len(mail.outbox) == 1


def test_two_runs_cannot_claim_the_same_row(alice, now):
    queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)

    first, second = claim_batch(now), claim_batch(now)

    assert (len(first), len(second)) == (1, 0)


def test_ids_restrict_a_run_to_its_own_rows(alice, bob, now):
    mine = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)
    queue_email(bob, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)

    assert deliver_pending(now, ids=[mine.pk]) == (1, 0)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_mail_the_server_always_refuses_stops_being_retried_after_the_attempt_cap(alice, now, settings):
    email = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now, to="gone@refused.example")
    settings.EMAIL_BACKEND = mailservers.REFUSING
    runs = [now + dt.timedelta(minutes=5 * n) for n in range(MAX_ATTEMPTS + 2)]

    assert [deliver_pending(moment) for moment in runs] == [(0, 1)] * MAX_ATTEMPTS + [(0, 0)] * 2

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("failed", MAX_ATTEMPTS)
    assert "SMTPRecipientsRefused" in email.last_error and "No such user" in email.last_error
    assert undelivered(alice, runs[-1]) == [email]
    settings.EMAIL_BACKEND = LOCMEM
    assert deliver_pending(runs[-1]) == (0, 0)  # a server that would take it: still not sent on its own
    assert claim_batch(runs[-1]) == [] and mail.outbox == []


def test_a_refusal_counts_against_its_message_and_a_hang_up_in_the_same_run_against_none(alice, now, settings):
    refused = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now - dt.timedelta(minutes=1), to="gone@refused.example")
    waiting = [queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now) for _ in range(2)]
    settings.EMAIL_BACKEND = mailservers.HANGING_UP  # answers the first message, then hangs up

    assert deliver_pending(now) == (0, 3)

    rows = OutboundEmail.objects.in_bulk()
    assert (rows[refused.pk].attempts, "SMTPRecipientsRefused" in rows[refused.pk].last_error) == (1, True)
    for email in waiting:
        assert (rows[email.pk].state, rows[email.pk].attempts) == ("failed", 0)
        assert rows[email.pk].last_error == "SMTPServerDisconnected: Connection unexpectedly closed"

    settings.EMAIL_BACKEND = mailservers.REFUSING  # the server is back
    assert deliver_pending(now + dt.timedelta(minutes=5)) == (2, 1)
    assert list(OutboundEmail.objects.order_by("created_at").values_list("state", "attempts")) == [
        ("failed", 2), ("sent", 1), ("sent", 1)]


@pytest.mark.parametrize("exc", [
    ConnectionRefusedError("down"), ConnectionResetError("reset"), TimeoutError("timed out"),
    socket.gaierror(-2, "Name or service not known"), smtplib.SMTPServerDisconnected("closed"),
    smtplib.SMTPConnectError(421, b"busy"), smtplib.SMTPHeloError(501, b"bad HELO"),
    smtplib.SMTPAuthenticationError(535, b"bad login"), smtplib.SMTPSenderRefused(553, b"bad sender", "noghost@x"),
])
def test_a_server_down_unreachable_or_misconfigured_is_server_trouble(exc):
    assert server_trouble(exc)


@pytest.mark.parametrize("exc", [
    smtplib.SMTPRecipientsRefused({"gone@refused.example": (550, b"No such user")}),
    smtplib.SMTPDataError(552, b"message too big"), BadHeaderError("newline in header"), KeyError("a bug"),
])
def test_a_refused_or_unbuildable_message_is_its_own_fault(exc):
    assert not server_trouble(exc)


def test_a_refused_address_does_not_stop_the_run_at_its_batch(alice, now, settings):
    settings.EMAIL_BACKEND = mailservers.REFUSING
    queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now - dt.timedelta(minutes=1), to="gone@refused.example")
    for _ in range(4):
        queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)

    assert deliver_pending(now, limit=2) == (4, 1)

    assert len(mail.outbox) == 4
    assert OutboundEmail.objects.get(to="gone@refused.example").state == "failed"


def test_a_batch_the_server_refuses_holds_up_the_rest_only_until_the_attempt_cap(alice, now, settings):
    settings.EMAIL_BACKEND = mailservers.REFUSING
    for name in ("gone", "moved"):  # the oldest: each run's first batch, refused whole
        queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now - dt.timedelta(hours=1), to=f"{name}@refused.example")
    waiting = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)

    results = [deliver_pending(now + dt.timedelta(minutes=5 * n), limit=2) for n in range(MAX_ATTEMPTS + 1)]

    assert results == [(0, 2)] * MAX_ATTEMPTS + [(1, 0)]
    waiting.refresh_from_db()
    assert waiting.state == "sent" and [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_undelivered_lists_my_mail_no_run_will_send_again(alice, bob, now):
    def row(owner, subject, state, *, minutes_ago=20, attempts=1):
        email = queue_email(owner, OutboundEmail.Kind.NUDGE, RenderedEmail(subject, "text", ""), now=now - dt.timedelta(hours=2))
        OutboundEmail.objects.filter(pk=email.pk).update(
            state=state, attempts=attempts, claimed_at=now - dt.timedelta(minutes=minutes_ago))
        return subject

    stuck = row(alice, "stuck", "sending", minutes_ago=16)
    given_up = row(alice, "given up", "failed", attempts=MAX_ATTEMPTS)
    row(alice, "still sending", "sending", minutes_ago=14)
    late = row(alice, "late, still retried", "failed", attempts=MAX_ATTEMPTS - 1)
    row(alice, "queued", "queued", attempts=0)
    row(bob, "bob's", "sending")

    assert sorted(email.subject for email in undelivered(alice, now)) == sorted([stuck, given_up, late])
