"""A large, plausible history of invitations for one user, written in bulk (benchmarks, query-count tests)."""

import datetime as dt
import random

from invitations.models import (
    Client,
    DeclineReason,
    FollowUp,
    FollowUpKind,
    Invitation,
    Platform,
    Status,
)

BATCH = 2000
REASONS = [DeclineReason.BUSY] * 4 + [DeclineReason.RATE, DeclineReason.NOT_A_FIT, DeclineReason.REMOTE,
                                       DeclineReason.ACCEPTED_OTHER]


def populate(owner, count, *, now, span_days=730, seed=6):
    """`count` invitations received over the last `span_days`, with their follow-ups.

    Most are answered within the day, a few late, 1% ignored (overdue), 5% withdrawn; busy
    declines open a reconnect, 95% of those due more than 3 days ago were made. Uses bulk_create: the domain's rules are mirrored, not called,
    because calling them 100,000 times would take minutes. Returns the number of invitations.
    """
    rng = random.Random(seed)
    clients = Client.objects.bulk_create(
        [Client(owner=owner, name=f"Client {seed}-{i:05d}", platform=rng.choice(Platform.values)).fill_search_text()
         for i in range(max(1, count // 8))],
        batch_size=BATCH,
    )
    # Logged as they arrived, oldest first, as a real history is (it decides the rows' order on disk).
    arrivals = sorted(now - dt.timedelta(seconds=rng.randint(60, span_days * 86400)) for _ in range(count))
    for start in range(0, count, BATCH):
        invitations = [_invitation(owner, rng, clients, now, received).fill_search_text()
                       for received in arrivals[start:start + BATCH]]
        Invitation.objects.bulk_create(invitations, batch_size=BATCH)
        FollowUp.objects.bulk_create(
            [fu for inv in invitations for fu in _followups(inv, now, rng)], batch_size=BATCH
        )
    return count


def _invitation(owner, rng, clients, now, received):
    inv = Invitation(
        owner=owner, client=rng.choice(clients), title=f"Project {rng.randint(1, 9999)}",
        platform=rng.choice(Platform.values), received_at=received, reply_by=received + dt.timedelta(hours=24),
    )
    roll = rng.random()
    if inv.reply_by > now or roll < 0.01:
        return inv  # still open: inside its window, or ignored
    answered = received + dt.timedelta(hours=rng.choice([1, 2, 4, 8, 20, 30]))
    inv.responded_at = min(answered, now)
    if roll < 0.06:
        inv.status = Status.WITHDRAWN
    elif roll < 0.30:
        inv.status, inv.response_channel = Status.ACCEPTED, "email"
    else:
        inv.status, inv.response_channel, inv.decline_reason = Status.DECLINED, "platform", rng.choice(REASONS)
        if inv.decline_reason == DeclineReason.BUSY:
            inv.busy_until = (inv.responded_at + dt.timedelta(weeks=rng.choice([2, 3, 4]))).date()
    return inv


def _followups(inv, now, rng):
    yield FollowUp(
        owner_id=inv.owner_id, kind=FollowUpKind.REPLY, invitation=inv, client_id=inv.client_id, due_at=inv.reply_by,
        done_at=inv.responded_at if inv.status != Status.OPEN else None,
    )
    if inv.busy_until:
        due = dt.datetime.combine(inv.busy_until, dt.time(8), tzinfo=dt.timezone.utc)
        made = due < now - dt.timedelta(days=3) and rng.random() < 0.95
        yield FollowUp(
            owner_id=inv.owner_id, kind=FollowUpKind.RECONNECT, invitation=inv, client_id=inv.client_id, due_at=due,
            done_at=due + dt.timedelta(hours=2) if made else None,
        )
