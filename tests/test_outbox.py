"""The outbox: a row first, a send second; failures retried, nothing sent twice."""

import datetime as dt

import pytest
from django.core import mail

from invitations.emails import RenderedEmail
from invitations.models import OutboundEmail
from invitations.outbox import MAX_ATTEMPTS, claim_batch, deliver_pending, queue_email, undelivered
from tests import mailservers

pytestmark = pytest.mark.django_db
MESSAGE = RenderedEmail(subject="Hello", text="Plain body", html="<p>HTML body</p>")


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

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = now + dt.timedelta(minutes=5)
    assert deliver_pending(later) == (1, 0)
    email.refresh_from_db()
    assert (email.state, email.attempts, email.sent_at, email.last_error) == ("sent", 2, later, "")
    assert len(mail.outbox) == 1


def test_a_row_left_sending_by_a_crash_is_never_sent_again_on_its_own(alice, now):
    queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)
    assert len(claim_batch(now)) == 1  # a run claimed it, then its machine died

    assert deliver_pending(now + dt.timedelta(hours=1)) == (0, 0)
    assert OutboundEmail.objects.get().state == "sending"
    assert mail.outbox == []


def test_two_runs_cannot_claim_the_same_row(alice, now):
    queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)

    first, second = claim_batch(now), claim_batch(now)

    assert (len(first), len(second)) == (1, 0)


def test_ids_restrict_a_run_to_its_own_rows(alice, bob, now):
    mine = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)
    queue_email(bob, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)

    assert deliver_pending(now, ids=[mine.pk]) == (1, 0)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_mail_that_always_fails_stops_being_retried_after_the_attempt_cap(alice, now, settings):
    email = queue_email(alice, OutboundEmail.Kind.NUDGE, MESSAGE, now=now)
    settings.EMAIL_BACKEND = mailservers.DOWN
    runs = [now + dt.timedelta(minutes=5 * n) for n in range(MAX_ATTEMPTS + 2)]

    assert [deliver_pending(moment) for moment in runs] == [(0, 1)] * MAX_ATTEMPTS + [(0, 0)] * 2

    email.refresh_from_db()
    assert (email.state, email.attempts) == ("failed", MAX_ATTEMPTS)
    assert "SMTP server down" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_pending(runs[-1]) == (0, 0)  # the server is back: still not sent on its own
    assert claim_batch(runs[-1]) == [] and mail.outbox == []


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
        email = queue_email(owner, OutboundEmail.Kind.NUDGE, RenderedEmail(subject, "text", ""), now=now - dt.timedelta(hours=1))
        OutboundEmail.objects.filter(pk=email.pk).update(
            state=state, attempts=attempts, claimed_at=now - dt.timedelta(minutes=minutes_ago))
        return subject

    stuck = row(alice, "stuck", "sending", minutes_ago=16)
    given_up = row(alice, "given up", "failed", attempts=MAX_ATTEMPTS)
    row(alice, "still sending", "sending", minutes_ago=14)
    row(alice, "will be retried", "failed", attempts=MAX_ATTEMPTS - 1)
    row(alice, "queued", "queued", attempts=0)
    row(bob, "bob's", "sending")

    assert sorted(email.subject for email in undelivered(alice, now)) == sorted([stuck, given_up])
