"""Exactly once, proven on PostgreSQL: runs racing from several connections send one digest per user.

The control test swaps the claim for a naive check-then-insert that ignores conflicts; the same
race then sends duplicates, which shows the test can catch what the real claim prevents.
"""

import collections
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from invitations.models import Client, Digest, Invitation, OutboundEmail, Profile
from invitations.reminders import digest_claims, digests
from tests.support.races import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
USERS = 1000
RUNS = 4
ZONES = ["Europe/Berlin", "America/New_York", "Pacific/Honolulu", "Pacific/Auckland", "Asia/Kolkata", "UTC"]


def make_users():
    """1,000 users, every zone; two in three have an overdue invitation, the rest a quiet day."""
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"racer{i}", email=f"racer{i}@example.com", password="!") for i in range(USERS)]
    )
    Profile.objects.bulk_create(
        [Profile(user=u, timezone=ZONES[i % len(ZONES)], digest_hour=0) for i, u in enumerate(users)]
    )
    busy = [u for i, u in enumerate(users) if i % 3]
    clients = Client.objects.bulk_create([Client(owner=u, name="Acme") for u in busy])
    Invitation.objects.bulk_create([
        Invitation(owner=u, client=c, title="Overdue", received_at=NOW - dt.timedelta(days=2),
                   reply_by=NOW - dt.timedelta(hours=3))
        for u, c in zip(busy, clients)
    ])
    return {u.email for u in busy}


def race(runs=RUNS):
    """Start `runs` send_due_digests at once, each on its own thread and database connection."""
    outcomes = at_once(lambda: digests.send_due_digests(NOW), runs)
    assert [outcome for outcome in outcomes if isinstance(outcome, Exception)] == []
    return collections.Counter(address for message in mail.outbox for address in message.to)


def test_racing_runs_send_exactly_one_digest_to_each_user_with_something_to_say():
    busy = make_users()

    received = race()

    assert set(received) == busy
    assert set(received.values()) == {1}
    assert Digest.objects.count() == USERS  # quiet days are claimed too, with no e-mail
    assert Digest.objects.filter(email__isnull=False).count() == len(busy)
    assert OutboundEmail.objects.filter(kind="digest").count() == len(busy)
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {"sent"}


def naive_claims(contents, *, now):
    """The bug the claim prevents: look first, then insert without asking whether we won."""
    won = {}
    for content in contents:
        owner, day = content.owner, content.local_date
        if Digest.objects.filter(owner=owner, local_date=day).exists():
            continue
        Digest.objects.bulk_create(
            [Digest(owner=owner, local_date=day, claimed_at=now, item_count=content.item_count)], ignore_conflicts=True
        )
        won[owner.pk] = Digest.objects.get(owner=owner, local_date=day).pk
    return won


def test_control_without_the_claim_the_same_race_sends_duplicates(monkeypatch):
    busy = make_users()
    monkeypatch.setattr(digest_claims, "insert_claims", naive_claims)

    # Run alone, the naive version looks right: one run, then nothing more.
    received = race(runs=1)
    assert set(received.values()) == {1}
    Digest.objects.all().delete()
    OutboundEmail.objects.all().delete()
    mail.outbox.clear()

    received = race()

    assert set(received) == busy
    assert max(received.values()) > 1, "the naive claim should have let racing runs send twice"


def test_racing_requests_for_a_test_digest_queue_one():
    """"Send me a test digest" clicked at once in four tabs: one e-mail, three told to wait."""
    user = get_user_model().objects.create_user("clicker", "clicker@example.com", "!")

    outcomes = at_once(lambda: digests.queue_test_digest(user, now=NOW), RUNS)

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["OutboundEmail"] + ["TooSoon"] * (RUNS - 1)
    assert OutboundEmail.objects.filter(kind="test_digest").count() == 1
