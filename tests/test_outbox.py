"""The outbox: a row first, a send second; failures retried, nothing sent twice."""

import datetime as dt

import pytest
from django.core import mail

from invitations.emails import RenderedEmail
from invitations.models import OutboundEmail
from invitations.outbox import claim_batch, deliver_pending, queue_email

pytestmark = pytest.mark.django_db
MESSAGE = RenderedEmail(subject="Hello", text="Plain body", html="<p>HTML body</p>")


class FailingBackend:
    """An SMTP server that is down: the one outside thing the tests stand in for."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    def close(self):
        pass


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
    settings.EMAIL_BACKEND = "tests.test_outbox.FailingBackend"

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
