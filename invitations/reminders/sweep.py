"""The ghosting guard (docs/design.md, rule 2): flag every invitation whose reply-by passed unanswered, once.

Set-based, one claiming UPDATE per batch of users with the nudges queued in the same transaction,
so its cost follows the users with something due, not the rows, and concurrent sweeps on any
number of machines never flag or nudge twice (rule 6).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.utils.timesince import timesince

from invitations.clock import format_local
from invitations.mail.outbox import deliver_pending, outbox_row, queue_emails, queue_notices, run_deadline
from invitations.mail.rendering import page_url, render_email, render_text
from invitations.models import Invitation, OutboundEmail, Profile, Status
from invitations.reminders.digest_content import Paths
from invitations.reminders.one_click import usual_busy_until
from invitations.reminders.problems import guarded, served

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
    skipped: int = 0  # users whose nudge could not be made (problems.py)

    def __str__(self):
        return (
            f"flagged {self.flagged} invitation{pluralize(self.flagged)}, nudged {self.nudged} user{pluralize(self.nudged)}, "
            f"sent {self.sent} e-mail{pluralize(self.sent)}, {self.failed} failed"
            + (f", skipped {self.skipped} user{pluralize(self.skipped)} (see the log)" if self.skipped else "")
        )


def due_owners(now):
    """[(owner_id, wants_nudges)] of the users with something due, by id: one row per user, not per invitation.

    Two small reads instead of a join: the owners come from the partial index alone, and only
    the few users who turned nudges off, or were deactivated, are looked up. On SQLite the
    claims find the users themselves (claim_next()), so this reads only where the due rows
    begin: [(first owner, None)], or [] when nothing is due (one index probe).
    """
    due = Invitation.objects.due_for_sweep(now).order_by("owner_id").values_list("owner_id", flat=True)
    if not connection.features.has_select_for_update:
        first = due.first()
        return [] if first is None else [(first, None)]
    owners = list(due.distinct())
    if not owners:
        return []
    silent = set(
        Profile.objects.filter(user__gte=owners[0], user__lte=owners[-1])
        .filter(Q(nudges_enabled=False) | Q(user__is_active=False))
        .values_list("user_id", flat=True)
    )
    return [(owner_id, owner_id not in silent) for owner_id in owners]


def claim_next(first_owner, users, now):
    """SQLite: flag the due invitations of the next `users` owners with something due from
    `first_owner` on, in one UPDATE ... RETURNING whose owner range ends at the last of them
    (found by the same statement, in the partial index): the due rows are read once, by the
    claim. Returns [(pk, owner_id)] like claim_flags()."""
    ops = connection.ops
    table, pk, owner, flagged_at, status, reply_by = map(
        ops.quote_name, [Invitation._meta.db_table, "id", "owner_id", "flagged_at", "status", "reply_by"]
    )
    moment = ops.adapt_datetimefield_value(now)
    due = f"{status} = %s AND {flagged_at} IS NULL AND {reply_by} <= %s"
    last = (f"(SELECT MAX({owner}) FROM (SELECT DISTINCT {owner} FROM {table} WHERE {due} AND {owner} >= %s"
            f" ORDER BY {owner} LIMIT %s))")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {flagged_at} = %s WHERE {owner} BETWEEN %s AND {last} AND {due}"
            f" RETURNING {pk}, {owner}",
            [moment, first_owner, Status.OPEN, moment, first_owner, users, Status.OPEN, moment],
        )
        return cursor.fetchall()


def claim_flags(first_owner, last_owner, now):
    """PostgreSQL: flag the due invitations of owners first..last; return [(pk, owner_id)] of the rows THIS call flagged.

    One UPDATE ... RETURNING re-checks `flagged_at IS NULL` as it writes, so of two sweeps
    racing for a row only one flags it and only that one gets it back: the loser's UPDATE
    skips it (PostgreSQL re-evaluates the condition on the row the winner committed). An inner
    SELECT locks the rows in pk order first, so sweeps whose batches overlap wait for each other
    instead of deadlocking, and each user's due invitations all go to one sweep: one nudge, not
    two halves. An owner range, not a list of ids, keeps the statement the same size however
    many users a batch holds. (SQLite, whose writers take turns, claims with claim_next().)
    """
    ops = connection.ops
    table, pk, owner, flagged_at, status, reply_by = map(
        ops.quote_name, [Invitation._meta.db_table, "id", "owner_id", "flagged_at", "status", "reply_by"]
    )
    moment = ops.adapt_datetimefield_value(now)
    condition = f"{status} = %s AND {flagged_at} IS NULL AND {reply_by} <= %s"
    params = [Status.OPEN, moment]
    batch = Invitation.objects.due_for_sweep(now).filter(owner_id__gte=first_owner, owner_id__lte=last_owner)
    inner_sql, inner_params = batch.order_by("pk").select_for_update().values("pk").query.sql_with_params()
    condition = f"{pk} IN ({inner_sql}) AND {condition}"
    params = [*inner_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {flagged_at} = %s WHERE {condition} RETURNING {pk}, {owner}", [moment, *params]
        )
        return cursor.fetchall()


def nudge_items(invitations, *, now, zone, paths, busy_until=None):
    """What a nudge says about each invitation, in the user's own zone, with its one-click links
    (`paths`: the batch's digest_content.Paths, reverse()d once for all its nudges)."""
    return [
        {
            "client": inv.client.name,
            "company": inv.client.company,
            "title": inv.display_title,
            "platform": inv.get_platform_display(),
            "reply_by": format_local(inv.reply_by, zone),
            "overdue": timesince(inv.reply_by, now),
            "answer_url": paths.respond(inv.pk),
            "links": paths.links.invitation(inv.owner_id, inv.pk, busy_until=busy_until),
            "busy_until": busy_until,
        }
        for inv in invitations
    ]


def queue_nudges(claimed, owner_ids, *, now):
    """Queue one nudge per user in `owner_ids` who wants them, listing every invitation in `claimed`.

    Called inside the transaction that holds the flags, so a rollback loses neither alone.
    A user whose nudge cannot be made (problems.guarded: an unknown time zone, no profile, a row
    that cannot be read or shown) is skipped and their flags are given back, so a later sweep
    nudges them once it is fixed, while everyone else is nudged now.
    Returns (how many users were nudged, the ids of those skipped).
    """
    if not owner_ids:
        return 0, set()
    wanting = {
        user.pk: user
        for user in get_user_model().objects.filter(pk__in=owner_ids, is_active=True)
        .filter(Q(profile__nudges_enabled=True) | Q(profile=None))
        .exclude(email="")
        .select_related("profile")
    }
    rows, skipped, paths = [], set(), Paths(now)
    for owner_id, group in read_back(claimed, wanting, now=now).items():
        row = guarded("nudge", owner_id, lambda: nudge_row(wanting[owner_id], group, now=now, paths=paths), now=now)
        if row is None:
            skipped.add(owner_id)
        else:
            rows.append(row)
    if skipped:
        give_back = [pk for pk, owner_id in claimed if owner_id in skipped]
        Invitation.objects.filter(pk__in=give_back, flagged_at=now).update(flagged_at=None)
    queue_notices(queue_emails(rows), now=now, texts={row.pk: row.notice for row in rows})
    served("nudge", [wanting[row.owner_id].profile for row in rows])
    return len(rows), skipped


def read_back(claimed, wanting, *, now):
    """{owner_id: [invitation]} of the rows in `claimed` whose owner is in `wanting`, with their clients.

    Read by owner and flag time (small IN lists), keeping only rows this run claimed: a
    concurrent sweep with the same `now` may have flagged others of these users' rows. An owner
    with a claimed row that does not come back (its client is missing: a damaged restore) maps
    to None, and nudge_row() refuses it.
    """
    claimed_pks = {pk for pk, owner_id in claimed if owner_id in wanting}
    if not claimed_pks:
        return {}
    by_owner = {}
    rows = Invitation.objects.filter(owner_id__in=wanting, flagged_at=now).select_related("client")
    for inv in rows.order_by("owner_id", "reply_by", "pk"):
        if inv.pk in claimed_pks:
            by_owner.setdefault(inv.owner_id, []).append(inv)
    unread = claimed_pks - {inv.pk for group in by_owner.values() for inv in group}
    for pk, owner_id in claimed:
        if pk in unread:
            by_owner[owner_id] = None
    return by_owner


def nudge_row(user, invitations, *, now, paths):
    """The outbox row of one user's nudge (unsaved), listing `invitations` in their zone."""
    if invitations is None:
        raise LookupError("an overdue invitation of theirs has no client in the database (a damaged restore?)")
    items = nudge_items(invitations, now=now, zone=user.profile.zone, busy_until=usual_busy_until(user.profile, now),
                        paths=paths)
    context = {"user": user, "items": items, "count": len(items), "settings_url": page_url("settings")}
    row = outbox_row(user, OutboundEmail.Kind.NUDGE, render_email("nudge", context), now=now)
    row.notice = render_text("emails/nudge/notice.txt", context)  # what its notification targets get
    return row


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
    the digest run's to retry: it alone knows whether their day is over.) A user whose nudge
    cannot be made is skipped, their rows left unflagged (queue_nudges). Sending stops within
    the run's time budget, counted from here (outbox.run_deadline()).
    """
    deadline = run_deadline()
    result = {"flagged": 0, "nudged": 0, "skipped": set()}
    owners = due_owners(now)
    if connection.features.has_select_for_update:
        for wishes in batches(owners, nudged_per_batch=batch):
            # Users who turned nudges off are not even looked up; one who turned up since
            # due_owners() (an invitation logged late) is.
            claim_and_nudge(lambda: claim_flags(min(wishes), max(wishes), now), wishes, result, now=now)
    else:
        start = owners[0][0] if owners else None
        while start is not None:
            claimed = claim_and_nudge(lambda: claim_next(start, batch, now), {}, result, now=now)
            start = max(owner_id for _, owner_id in claimed) + 1 if claimed else None
    sent, failed = deliver_pending(now, kinds=[OutboundEmail.Kind.NUDGE], deadline=deadline)
    return SweepResult(flagged=result["flagged"], nudged=result["nudged"], sent=sent, failed=failed,
                       skipped=len(result["skipped"]))


def claim_and_nudge(claim, wishes, result, *, now):
    """One batch in one transaction: claim() its flags, queue the nudges of those who want them
    ({owner_id: wants_nudges}, True for an owner not in it); counts into `result`. Returns the claim."""
    with transaction.atomic():
        claimed = claim()
        asking = {owner_id for _, owner_id in claimed if wishes.get(owner_id, True)}
        count, left_out = queue_nudges(claimed, asking, now=now)
    result["nudged"] += count
    result["skipped"] |= left_out
    result["flagged"] += sum(owner_id not in left_out for _, owner_id in claimed)
    return claimed
