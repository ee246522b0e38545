"""Exactly once on PostgreSQL: delivery runs racing from several connections send each row once.

They send through the loopback SMTP server, which counts what it took in by Message-ID. The
control test swaps the claim and the handoff for versions that do not ask whether they won;
the same race then sends duplicates, which shows the test can catch what the real ones prevent.
"""

import collections
import datetime as dt

import pytest
from django.db.models import F

from invitations.mail import outbox, sending
from invitations.mail.rendering import RenderedEmail
from invitations.models import OutboundEmail
from tests.support.races import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
ROWS = 200
RUNS = 4


def race(runs=RUNS):
    """`runs` delivery runs at once, each sending until it finds nothing left it can claim."""
    def run():
        while outbox.deliver_pending(NOW, limit=20) != (0, 0):
            pass

    assert at_once(run, runs) == [None] * runs
    outbox.deliver_pending(NOW)  # what a run that lost a race left for the next


@pytest.fixture
def queued(alice):
    message = RenderedEmail("Nudge", "text", "")
    outbox.queue_emails([outbox.outbox_row(alice, OutboundEmail.Kind.NUDGE, message, now=NOW) for _ in range(ROWS)])
    return set(OutboundEmail.objects.values_list("message_id", flat=True))


def test_racing_delivery_runs_send_each_row_exactly_once(queued, smtp_server):
    race()

    received = collections.Counter(smtp_server.message_ids)
    assert set(received) == queued and set(received.values()) == {1}
    assert set(OutboundEmail.objects.values_list("state", "attempts")) == {("sent", 1)}


def naive_claim(now, *, limit, ids=None, kinds=None, token=None):
    """The bug: take what is queued without asking whether another run got there first."""
    return list(OutboundEmail.objects.filter(state="queued").order_by("pk")[:limit])


def naive_hand_off(email, token, *, now=None, delivered=None):
    OutboundEmail.objects.filter(pk=email.pk).update(state="sent", attempts=F("attempts") + 1)
    return True


def test_control_without_the_claim_and_handoff_the_same_race_sends_duplicates(queued, smtp_server, monkeypatch):
    monkeypatch.setattr(outbox, "claim_batch", naive_claim)
    monkeypatch.setattr(sending, "hand_off", naive_hand_off)

    race()

    received = collections.Counter(smtp_server.message_ids)
    assert set(received) == queued
    assert max(received.values()) > 1, "the naive claim should have let racing runs send twice"
