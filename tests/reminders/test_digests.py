"""Sending the digest once per local day through the outbox."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from invitations.models import Digest, OutboundEmail
from invitations.reminders.digest_content import build_digest
from invitations.reminders.digests import DigestRun, claim_and_queue, due_profiles, queue_batch, send_due_digests
from tests.support import mailservers
from tests.support.digest_factory import (
    DAY,
    HOUR,
    items,
    overdue_invitation,
)

pytestmark = pytest.mark.django_db

# 09:00 UTC is 10:00 in Berlin (alice) and 04:00 in New York (bob); both have digest_hour 8.
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


# Sending ---------------------------------------------------------------------------------

def test_sends_one_digest_a_day_through_the_outbox(alice):
    overdue_invitation(alice, NOW)

    first = send_due_digests(NOW)
    second = send_due_digests(NOW + HOUR)

    assert (first.sent, second.sent, len(second.planned)) == (1, 0, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"] and message.subject == "1 invitation needs an answer today"
    assert message.alternatives[0].mimetype == "text/html"
    digest = Digest.objects.get()
    assert (digest.owner, digest.local_date, digest.claimed_at, digest.item_count) == (alice, dt.date(2026, 11, 20), NOW, 1)
    assert (digest.email.kind, digest.email.state, digest.email.sent_at) == ("digest", "sent", NOW)


def test_not_before_the_users_digest_hour(bob):
    overdue_invitation(bob, NOW)  # 04:00 in New York; bob's hour is 8

    assert send_due_digests(NOW).planned == []
    assert send_due_digests(NOW + 4 * HOUR).sent == 1  # 08:00 in New York


def test_a_quiet_day_sends_nothing_and_is_not_reconsidered_that_day(alice):
    run = send_due_digests(NOW)

    assert (run.sent, run.quiet) == (0, 1)
    assert mail.outbox == []
    digest = Digest.objects.get()
    assert (digest.item_count, digest.email) == (0, None)
    # Documented choice: what arrives later that day waits for tomorrow's digest.
    overdue_invitation(alice, NOW + HOUR)
    assert send_due_digests(NOW + 2 * HOUR).planned == []


def test_digest_disabled_sends_nothing_and_claims_nothing(make_user):
    carol = make_user("carol", timezone="Europe/Berlin", digest_enabled=False)
    overdue_invitation(carol, NOW)

    assert send_due_digests(NOW).planned == []
    assert not Digest.objects.exists() and mail.outbox == []


def test_a_send_that_raised_is_recorded_and_retried_by_the_next_run(alice, settings):
    overdue_invitation(alice, NOW)
    settings.EMAIL_BACKEND = mailservers.DOWN

    assert send_due_digests(NOW).failed == 1
    digest = Digest.objects.select_related("email").get()
    assert (digest.email.state, digest.email.attempts) == ("failed", 0)  # the server's fault: not counted
    assert "SMTP server down" in digest.email.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = NOW + 15 * dt.timedelta(minutes=1)
    run = send_due_digests(later)
    assert (run.retried, run.sent, len(run.planned)) == (1, 1, 0)
    digest.email.refresh_from_db()
    # attempts counts the sends that were about this message: the one that delivered it, not the outage's.
    assert (digest.email.state, digest.email.attempts, digest.email.sent_at, digest.email.last_error) == ("sent", 1, later, "")
    assert len(mail.outbox) == 1
    assert send_due_digests(later + HOUR).retried == 0


def test_a_failed_digest_is_not_retried_once_its_day_is_over(alice, settings):
    overdue_invitation(alice, NOW)
    settings.EMAIL_BACKEND = mailservers.DOWN
    send_due_digests(NOW)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    tomorrow = NOW + DAY  # 10:00 in Berlin the next day
    run = send_due_digests(tomorrow)

    assert (run.retried, run.sent) == (0, 1)
    assert [d.email.state for d in Digest.objects.order_by("local_date")] == ["failed", "sent"]
    assert len(mail.outbox) == 1


def test_a_lost_claim_queues_nothing(alice):
    overdue_invitation(alice, NOW)
    content = build_digest(alice, now=NOW)

    assert claim_and_queue(content, now=NOW)[0] is True
    assert claim_and_queue(content, now=NOW) == (False, None)
    assert OutboundEmail.objects.count() == 1 and Digest.objects.count() == 1


def test_dry_run_claims_and_sends_nothing(alice, bob, unchanged):
    overdue_invitation(alice, NOW)
    with unchanged():
        run = send_due_digests(NOW, dry_run=True)
    assert [(owner, content.item_count) for owner, content in run.planned] == [(alice, 1)]
    assert mail.outbox == []


def test_users_restricts_the_run(alice, make_user):
    carol = make_user("carol", timezone="Europe/Berlin")
    overdue_invitation(alice, NOW)
    overdue_invitation(carol, NOW)

    send_due_digests(NOW, users=[carol])

    assert [m.to for m in mail.outbox] == [["carol@example.com"]]


@pytest.mark.parametrize("count", [2, 20])
def test_queries_do_not_grow_with_items(alice, count, django_assert_num_queries):
    items(alice, NOW, count)
    # 3 reads (digests to retry, due profiles, today's claims) + 4 content reads; per batch 6:
    # the transaction (a savepoint here, inside the test's, and its release), the claims' INSERT,
    # the e-mails' INSERT, their link to the claims, the notification targets beside the e-mails
    # (read, none inserted); 4 for the outbox (claim, read, hand over, mark sent).
    with django_assert_num_queries(17):
        run = send_due_digests(NOW)
    assert run.sent == 1 and Digest.objects.get().item_count == count


def test_queries_do_not_grow_with_users(make_user, django_assert_num_queries):
    users = [make_user(f"user{i}", timezone="Europe/Berlin") for i in range(5)]
    for user in users:
        items(user, NOW, 3)
    # As above (one batch of claims for all five), with a handoff for each of the four more users
    # (one UPDATE as it goes to the server), in two outbox batches (a batch holds what fits in
    # the time budget: 4 at 30 s a message in 180 s, one kept for closing): 17 + 4 + 3.
    with django_assert_num_queries(24):
        assert send_due_digests(NOW).sent == 5


def test_a_batch_costs_under_one_query_per_user(make_user):
    """Building, rendering, claiming and queuing 50 users' digests (3 items each) is a fixed
    number of queries for the batch, not a few per user (sending is one handoff per message)."""
    users = [make_user(f"user{i}", timezone="Europe/Berlin") for i in range(50)]
    for user in users:
        items(user, NOW, 3)
    run = DigestRun()
    profiles = due_profiles(NOW, run)

    with CaptureQueriesContext(connection) as queries:
        queued = queue_batch(profiles, run, now=NOW)

    assert len(queued) == 50 and all(queued.values())
    assert OutboundEmail.objects.filter(kind="digest", state="queued").count() == 50
    assert len(queries) / len(users) < 1, [q["sql"][:80] for q in queries]
