"""Notification targets through the outbox (docs/design.md, rule 15), against a real webhook
receiver on loopback (tests/support/receiver.py) that apprise's `json://` posts to: no mock."""

import datetime as dt
import time

import pytest
import time_machine
from django.core import mail

from invitations.intake.log import log_invitation
from invitations.mail.notify import add_target
from invitations.mail.outbox import deliver_pending, queue_notices
from invitations.models import OutboundEmail
from invitations.reminders.digests import send_due_digests
from invitations.reminders.sweep import sweep
from invitations.vault import unseal
from tests.support.receiver import Receiver

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def overdue(user, now=NOW, client="Acme"):
    return log_invitation(user, now=now - dt.timedelta(days=2), client=client, title=f"{client} job",
                          received_at=now - dt.timedelta(days=2))


def target_rows():
    return OutboundEmail.objects.filter(target__isnull=False).order_by("pk")


def test_the_url_is_kept_sealed_and_only_its_service_is_shown(alice):
    url = "tgram://123456789:AAEsecret-bot-token/987654/"
    target = add_target(alice, label="Phone", url=url, now=NOW)
    target.refresh_from_db()
    assert target.service == "Telegram" and "secret" not in target.url_sealed and "123456789" not in target.url_sealed
    assert unseal(target.url_sealed) == url
    assert "secret" not in str(target)


def test_a_nudge_goes_to_each_target_and_the_email_queued_then_sent(alice):
    overdue(alice, client="Globex")
    with Receiver() as receiver:
        add_target(alice, label="Phone", url=receiver.url, now=NOW)
        add_target(alice, label="Laptop", url=receiver.url + "2", now=NOW)
        with time_machine.travel(NOW, tick=False):
            result = sweep(NOW)

    assert (result.nudged, result.sent, result.failed) == (1, 3, 0)
    assert len(mail.outbox) == 1 and "/go/" in mail.outbox[0].body
    assert [post["path"] for post in receiver.posts] == ["/hook", "/hook2"]
    assert all("Globex: Globex job, overdue by" in text and "/go/" in text for text in receiver.messages)
    assert [post["title"] for post in receiver.posts] == [mail.outbox[0].subject] * 2
    rows = list(target_rows())
    assert [(row.state, row.attempts, row.kind) for row in rows] == [("sent", 1, "nudge")] * 2
    assert {row.beside_id for row in rows} == {OutboundEmail.objects.get(target=None).pk}


def test_the_digest_sends_each_target_a_one_line_summary(make_user):
    alice = make_user("alice", timezone="UTC", digest_hour=8)
    log_invitation(alice, now=NOW - dt.timedelta(hours=1), client="Initech", received_at=NOW - dt.timedelta(hours=1))
    with Receiver() as receiver:
        add_target(alice, label="Phone", url=receiver.url, now=NOW)
        with time_machine.travel(NOW, tick=False):
            run = send_due_digests(NOW)

    assert run.sent == 2 and len(mail.outbox) == 1
    assert receiver.posts[0]["title"] == mail.outbox[0].subject == "1 invitation needs an answer today"
    assert receiver.messages == ["1 invitation needs an answer today\nhttps://noghost.test/"]


def test_a_receiver_down_for_a_day_loses_nothing_and_sends_nothing_twice(alice):
    """Every sweep for 24 hours meets a receiver that refuses connections: the nudge's target row
    waits with back-off (never more than 30 minutes), never counts an attempt, and goes once
    when the receiver is back; the e-mail went at once, undisturbed."""
    overdue(alice)
    receiver = Receiver()  # not started: its port refuses connections
    add_target(alice, label="Phone", url=receiver.url, now=NOW)
    tries = 0
    for step in range(0, 24 * 60, 5):  # a sweep every 5 minutes, all day
        moment = NOW + step * MINUTE
        with time_machine.travel(moment, tick=False):
            sweep(moment)
        row = target_rows().get()
        assert (row.state, row.attempts) == ("failed", 0) and "Connection error" in row.last_error
        assert row.retry_at <= moment + 30 * MINUTE
        tries += row.retry_at > moment and row.claimed_at == moment
    assert len(mail.outbox) == 1  # the e-mail nudge went at the first sweep and never again
    assert 45 <= tries <= 80  # retried all day, backed off: not every sweep

    with receiver:
        later = NOW + dt.timedelta(days=1, minutes=30)
        with time_machine.travel(later, tick=False):
            sweep(later)
            sweep(later + 5 * MINUTE)
    row = target_rows().get()
    assert (row.state, row.attempts) == ("sent", 1)
    assert len(receiver.posts) == 1 and len(mail.outbox) == 1


def test_an_error_answer_is_retried_after_its_back_off_and_not_counted(alice):
    overdue(alice)
    with Receiver(status=500) as receiver:
        add_target(alice, label="Phone", url=receiver.url, now=NOW)
        with time_machine.travel(NOW, tick=False):
            sweep(NOW)
        row = target_rows().get()
        assert (row.state, row.attempts, row.retry_at) == ("failed", 0, NOW + MINUTE)
        assert "error=500" in row.last_error
        receiver.status = 200
        deliver_pending(NOW + 30 * dt.timedelta(seconds=1))  # before its back-off: not tried
        assert target_rows().get().state == "failed"
        deliver_pending(NOW + 2 * MINUTE)
    assert target_rows().get().state == "sent" and len(receiver.posts) == 2  # the refused one, then the one taken


def test_a_receiver_that_hangs_hits_the_per_message_deadline_and_is_unsure(alice, settings):
    """It takes the POST and never answers: after EMAIL_TIMEOUT the row is unsure (it may have
    it), the run ends within its deadline, and no later run sends it again on its own."""
    settings.EMAIL_TIMEOUT = 1
    with Receiver(hang=20) as receiver:
        add_target(alice, label="Phone", url=receiver.url, now=NOW)
        overdue(alice)
        with time_machine.travel(NOW, tick=False):
            started = time.monotonic()
            sweep(NOW)
            elapsed = time.monotonic() - started
        row = target_rows().get()
        assert elapsed < 4
        assert (row.state, row.attempts) == ("unsure", 1) and "no answer within 1 s" in row.last_error
        assert len(mail.outbox) == 1
        for hours in (1, 2):
            sweep(NOW + dt.timedelta(hours=hours))
        assert target_rows().get().state == "unsure"
    assert len(receiver.posts) == 1  # the one POST it held; never a second


def test_queueing_notices_is_one_read_and_one_insert_however_many(make_user, django_assert_num_queries):
    users = [make_user(f"user{n}") for n in range(6)]
    emails = []
    for user in users:
        add_target(user, label="Phone", url="json://127.0.0.1:9/a", now=NOW)
        add_target(user, label="Chat", url="json://127.0.0.1:9/b", now=NOW)
        emails.append(OutboundEmail.objects.create(owner=user, kind="nudge", to=user.email, subject="s",
                                                   body_text="b", created_at=NOW))
    with django_assert_num_queries(2):
        queue_notices(emails[:2], now=NOW)
    with django_assert_num_queries(2):
        queue_notices(emails[2:], now=NOW)
    assert target_rows().count() == 12
    carol = make_user("carol")
    plain = OutboundEmail.objects.create(owner=carol, kind="nudge", to=carol.email, subject="s", body_text="b",
                                         created_at=NOW)
    with django_assert_num_queries(1):  # nobody here has a target: the read finds none, nothing is inserted
        assert queue_notices([plain], now=NOW) == []


def test_a_url_the_service_refuses_is_counted_and_given_up_after_five(alice):
    """A 401 (a revoked token) is the URL's fault, like an SMTP 5xx: counted, retried a minute
    later, given up after MAX_ATTEMPTS and shown; a 429 (slow down) is the receiver's and is not."""
    overdue(alice)
    with Receiver(status=401) as receiver:
        add_target(alice, label="Phone", url=receiver.url, now=NOW)
        moment = NOW
        for attempt in range(1, OutboundEmail.MAX_ATTEMPTS + 2):
            sweep(moment)
            row = target_rows().get()
            assert row.attempts == min(attempt, OutboundEmail.MAX_ATTEMPTS) and "error=401" in row.last_error
            moment += 2 * MINUTE
        assert row.given_up and len(receiver.posts) == OutboundEmail.MAX_ATTEMPTS
        receiver.status = 429
        OutboundEmail.objects.filter(pk=row.pk).update(attempts=0)
        sweep(moment + 2 * MINUTE)
        assert target_rows().get().attempts == 0
