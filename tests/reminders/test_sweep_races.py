"""Several sweeps at once, each on its own database connection: every invitation is flagged once
and every user nudged once. A control run without the guard shows the test can see the race."""

import datetime as dt
import re
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from invitations.models import Client, Invitation, OutboundEmail, Platform
from invitations.reminders import sweep as sweeping

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

USERS, PER_USER, SWEEPS = 100, 10, 4


@pytest.fixture
def due_invitations(make_user, now):
    """1,000 invitations of 100 users, all past their reply-by and unflagged."""
    owners = [make_user(f"freelancer{n:03}") for n in range(USERS)]
    clients = Client.objects.bulk_create(
        Client(owner=owner, name=f"Client {m}") for owner in owners for m in range(PER_USER)
    )
    received = now - dt.timedelta(days=2)
    return Invitation.objects.bulk_create(
        Invitation(owner_id=client.owner_id, client=client, title=f"Job for {client.name}", platform=Platform.UPWORK,
                   received_at=received, reply_by=received + dt.timedelta(hours=24))
        for client in clients
    )


def run_at_once(work, barrier):
    """Run `work()` in one thread per barrier party (one DB connection each); their results."""
    results, errors = [], []

    def run():
        try:
            results.append(work())
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(barrier.parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(results) == barrier.parties
    return results


def nudge_counts():
    return Counter(OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NUDGE).values_list("owner_id", flat=True))


def sweep_runs(now, staggered):
    """(moment, batch size) of each of the SWEEPS sweeps, one after the other.

    Staggered: each sweep has its own clock and its own batch size, so their batches of users
    overlap differently and their locks interleave (deadlock-free, and still one nudge per user).
    """
    return iter(
        (now + dt.timedelta(microseconds=n), (7, 13, 50, 100)[n]) if staggered else (now, sweeping.NUDGED_PER_BATCH)
        for n in range(SWEEPS)
    )


@pytest.mark.parametrize("staggered", [False, True], ids=["same-moment-and-batches", "staggered-clocks-and-batches"])
def test_concurrent_sweeps_flag_each_invitation_once_and_nudge_each_user_once(
    due_invitations, now, monkeypatch, staggered
):
    barrier = threading.Barrier(SWEEPS, timeout=60)
    real_due_owners = sweeping.due_owners

    def due_owners_then_wait(moment):
        # The worst interleaving: every sweep has read the same due set before any claims.
        owners = real_due_owners(moment)
        barrier.wait()
        return owners

    monkeypatch.setattr(sweeping, "due_owners", due_owners_then_wait)
    runs = sweep_runs(now, staggered)
    runs_lock = threading.Lock()

    def one_sweep():
        with runs_lock:
            moment, batch = next(runs)
        return sweeping.sweep(moment, batch=batch)

    results = run_at_once(one_sweep, barrier)

    assert sum(r.flagged for r in results) == USERS * PER_USER
    assert Invitation.objects.filter(flagged_at__isnull=True).count() == 0
    assert sum(r.nudged for r in results) == USERS
    assert set(nudge_counts().values()) == {1} and len(nudge_counts()) == USERS
    assert sum(r.sent for r in results) == USERS and sum(r.failed for r in results) == 0
    recipients = Counter(message.to[0] for message in mail.outbox)
    assert len(recipients) == USERS and set(recipients.values()) == {1}
    for message in mail.outbox:
        assert len(re.findall(r"/invitations/\d+/respond/", message.body)) == PER_USER


def test_control_without_the_recheck_the_same_race_nudges_users_several_times(due_invitations, now, monkeypatch):
    """What the conditional UPDATE prevents: read the due rows, then write them unconditionally."""
    barrier = threading.Barrier(SWEEPS, timeout=60)

    def naive_claim(first_owner, last_owner, moment):
        batch = Invitation.objects.due_for_sweep(moment).filter(owner_id__gte=first_owner, owner_id__lte=last_owner)
        rows = list(batch.values_list("pk", "owner_id"))
        barrier.wait()  # every sweep has read the rows as due before any writes
        Invitation.objects.filter(pk__in=[pk for pk, _ in rows]).update(flagged_at=moment)
        return rows

    monkeypatch.setattr(sweeping, "claim_flags", naive_claim)

    results = run_at_once(lambda: sweeping.sweep(now), barrier)

    assert sum(r.flagged for r in results) == SWEEPS * USERS * PER_USER
    assert set(nudge_counts().values()) == {SWEEPS}
    assert len(mail.outbox) == SWEEPS * USERS
