"""The ghosting guard (docs/design.md, rule 2): flag every invitation whose reply-by passed unanswered, once.

Set-based, one claiming UPDATE per batch of users with the nudges queued in the same transaction,
so its cost follows the users with something due, not the rows, and concurrent sweeps on any
number of machines never flag or nudge twice (rule 6).
"""

from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.timesince import timesince

from invitations.clock import format_local
from invitations.mail.outbox import deliver_pending, outbox_row, queue_emails, run_deadline
from invitations.mail.rendering import page_url, render_email
from invitations.models import Invitation, OutboundEmail, Profile, Status

# A claim transaction renders and queues the nudges of at most this many users (keeping it,
# and SQLite's write lock, short; and their IN lists under SQLite's 999 parameters) ...
NUDGED_PER_BATCH = 900
# ... and flags the due rows of at most this many users: the others cost one UPDATE each.
OWNERS_PER_BATCH = 10_000


@dataclass(frozen=True)
class SweepResult:
    flagged: int
    nudged: int
    sent: int
    failed: int

    def __str__(self):
        return (
            f"flagged {self.flagged} invitation(s), nudged {self.nudged} user(s), "
            f"sent {self.sent} e-mail(s), {self.failed} failed"
        )


def due_owners(now):
    """[(owner_id, wants_nudges)] of the users with something due, by id: one row per user, not per invitation.

    Two small reads instead of a join: the owners come from the partial index alone, and only
    the few users who turned nudges off are looked up.
    """
    owners = list(Invitation.objects.due_for_sweep(now).order_by("owner_id").values_list("owner_id", flat=True).distinct())
    if not owners:
        return []
    silent = set(
        Profile.objects.filter(user__gte=owners[0], user__lte=owners[-1], nudges_enabled=False).values_list(
            "user_id", flat=True
        )
    )
    return [(owner_id, owner_id not in silent) for owner_id in owners]


def claim_flags(first_owner, last_owner, now):
    """Flag the due invitations of owners first..last; return [(pk, owner_id)] of the rows THIS call flagged.

    One UPDATE ... RETURNING re-checks `flagged_at IS NULL` as it writes, so of two sweeps
    racing for a row only one flags it and only that one gets it back: the loser's UPDATE
    skips it (PostgreSQL re-evaluates the condition on the row the winner committed; SQLite
    runs one writer at a time). On PostgreSQL an inner SELECT locks the rows in pk order first,
    so sweeps whose batches overlap wait for each other instead of deadlocking, and each user's
    due invitations all go to one sweep: one nudge, not two halves. SQLite, whose writers take
    turns, needs no such lock and updates through the index directly. An owner range, not a
    list of ids, keeps the statement the same size however many users a batch holds.
    """
    ops = connection.ops
    table, pk, owner, flagged_at, status, reply_by = map(
        ops.quote_name, [Invitation._meta.db_table, "id", "owner_id", "flagged_at", "status", "reply_by"]
    )
    moment = ops.adapt_datetimefield_value(now)
    condition = f"{status} = %s AND {flagged_at} IS NULL AND {reply_by} <= %s"
    params = [Status.OPEN, moment]
    if connection.features.has_select_for_update:
        batch = Invitation.objects.due_for_sweep(now).filter(owner_id__gte=first_owner, owner_id__lte=last_owner)
        inner_sql, inner_params = batch.order_by("pk").select_for_update().values("pk").query.sql_with_params()
        condition = f"{pk} IN ({inner_sql}) AND {condition}"
        params = [*inner_params, *params]
    else:
        condition = f"{owner} BETWEEN %s AND %s AND {condition}"
        params = [first_owner, last_owner, *params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {flagged_at} = %s WHERE {condition} RETURNING {pk}, {owner}", [moment, *params]
        )
        return cursor.fetchall()


def nudge_items(invitations, *, now, zone):
    """What a nudge says about each invitation, in the user's own zone."""
    return [
        {
            "client": inv.client.name,
            "company": inv.client.company,
            "title": inv.title,
            "platform": inv.get_platform_display(),
            "reply_by": format_local(inv.reply_by, zone),
            "overdue": timesince(inv.reply_by, now),
            "answer_url": page_url("respond", inv.pk),
        }
        for inv in invitations
    ]


def queue_nudges(claimed, owner_ids, *, now):
    """Queue one nudge per user in `owner_ids` who wants them, listing every invitation in `claimed`.

    Called inside the transaction that holds the flags, so a rollback loses neither alone.
    Returns how many users were nudged.
    """
    if not owner_ids:
        return 0
    wanting = {
        user.pk: user
        for user in get_user_model().objects.filter(pk__in=owner_ids, profile__nudges_enabled=True)
        .exclude(email="")
        .select_related("profile")
    }
    claimed_pks = {pk for pk, owner_id in claimed if owner_id in wanting}
    if not claimed_pks:
        return 0
    # Read back by owner and flag time (small IN lists), keeping only rows this run claimed:
    # a concurrent sweep with the same `now` may have flagged others of these users' rows.
    invitations = [
        inv
        for inv in Invitation.objects.filter(owner_id__in=wanting, flagged_at=now)
        .select_related("client")
        .order_by("owner_id", "reply_by", "pk")
        if inv.pk in claimed_pks
    ]
    rows = []
    for owner_id, group in groupby(invitations, key=lambda inv: inv.owner_id):
        user = wanting[owner_id]
        items = nudge_items(list(group), now=now, zone=user.profile.zone)
        rendered = render_email("nudge", {"user": user, "items": items, "count": len(items),
                                          "settings_url": page_url("settings")})
        rows.append(outbox_row(user, OutboundEmail.Kind.NUDGE, rendered, now=now))
    queue_emails(rows)
    return len(rows)


def batches(owners, *, nudged_per_batch):
    """Split due_owners() into runs of consecutive users, each with at most `nudged_per_batch`
    users who want nudges and OWNERS_PER_BATCH users in all: {owner_id: wants_nudges} each."""
    batch, nudged = {}, 0
    for owner_id, wants_nudges in owners:
        if (wants_nudges and nudged == nudged_per_batch) or len(batch) == OWNERS_PER_BATCH:
            yield batch
            batch, nudged = {}, 0
        batch[owner_id] = wants_nudges
        nudged += bool(wants_nudges)
    if batch:
        yield batch


def sweep(now, *, batch=NUDGED_PER_BATCH):
    """Flag what is overdue, queue the nudges with the flags, then send what the outbox holds.

    Catching up after downtime needs nothing special: everything due by `now` is flagged in
    this run and each user gets one nudge listing it all. Sending also retries nudges that
    failed before, so a mail server that was down loses nothing for good. (Failed digests are
    the digest run's to retry: it alone knows whether their day is over.) Sending stops within
    the run's time budget, counted from here (outbox.run_deadline()).
    """
    deadline = run_deadline()
    flagged = nudged = 0
    for wishes in batches(due_owners(now), nudged_per_batch=batch):
        with transaction.atomic():
            claimed = claim_flags(min(wishes), max(wishes), now)
            # Users who turned nudges off are not even looked up; one who turned up since
            # due_owners() (an invitation logged late) is.
            asking = {owner_id for _, owner_id in claimed if wishes.get(owner_id, True)}
            nudged += queue_nudges(claimed, asking, now=now)
        flagged += len(claimed)
    sent, failed = deliver_pending(now, kinds=[OutboundEmail.Kind.NUDGE], deadline=deadline)
    return SweepResult(flagged=flagged, nudged=nudged, sent=sent, failed=failed)
