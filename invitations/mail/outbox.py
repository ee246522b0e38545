"""The mail outbox (docs/design.md, rule 6): a message is a row before it is a send.

Queued in the caller's transaction beside its claim and claimed for sending by one conditional
UPDATE, so a rolled-back claim sends nothing, a crash loses nothing and no row goes out twice.
A run claims only what it can send inside its time budget, and hands each message over on its
own (mail/sending.py), so a run that dies leaves at most that one message in doubt.
"""

import datetime as dt
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, TextField, Value, When

from invitations.mail.sending import send_batch
from invitations.models import OutboundEmail

State = OutboundEmail.State
BATCH = 500
MAX_ATTEMPTS = OutboundEmail.MAX_ATTEMPTS
DIED = "The run sending it stopped (its worker died or was killed) after handing it to the mail server: it may have arrived."
# A row still `sending` after this long was left by a run that died, and no run came since ...
STUCK_AFTER = dt.timedelta(minutes=15)
# ... and its user hears of it (and of mail failed for good) on the dashboard for this long.
TROUBLE_SHOWN_FOR = dt.timedelta(days=7)
# A nudge still failing this long after it was queued is shown too, though it is still retried:
# the mail server has been down a while, and the user should not wait for it unawares.
LATE_AFTER = dt.timedelta(hours=1)


def outbox_row(owner, kind, rendered, *, now, to=None):
    """An unsaved outbox row for a rendered e-mail to `owner` (or `to`)."""
    return OutboundEmail(
        owner=owner, kind=kind, to=to or owner.email, subject=rendered.subject[:300],
        body_text=rendered.text, body_html=rendered.html, created_at=now,
    )


def queue_email(owner, kind, rendered, *, now, to=None):
    """Add a rendered e-mail for `owner` to the outbox; it is sent by deliver_pending()."""
    email = outbox_row(owner, kind, rendered, now=now, to=to)
    email.save()
    return email


def queue_emails(rows):
    """Add many outbox_row()s in one INSERT per batch (a sweep nudging thousands of users)."""
    return OutboundEmail.objects.bulk_create(rows, batch_size=BATCH)


def queue_notices(emails, *, now, texts=None):
    """Queue, beside each of these saved e-mails (nudges, digests), a row for each of its owner's
    notification targets: set-based, one read and one INSERT per call however many rows.

    `texts` {e-mail pk: plain text} gives a notice its own body (the nudge's short list);
    otherwise it says the e-mail's subject and links to noghost (the digest's one line).
    Called in the caller's transaction, beside the e-mails, so both are kept or neither.
    """
    texts = texts or {}
    pks = [getattr(email, "pk", email) for email in emails]
    pairs = list(OutboundEmail.objects.filter(pk__in=pks, owner__notification_targets__isnull=False).values_list(
        "pk", "owner_id", "kind", "subject", "owner__notification_targets"))
    return queue_emails([
        OutboundEmail(owner_id=owner_id, kind=kind, to="", target_id=target_id, beside_id=pk, subject=subject,
                      body_text=texts.get(pk) or f"{subject}\n{settings.SITE_URL}/", created_at=now)
        for pk, owner_id, kind, subject, target_id in pairs
    ]) if pairs else []


def run_budget():
    """Seconds a delivery run may spend: three quarters of django-q2's task timeout (Q_CLUSTER),
    the rest left for the work around it (flagging, building digests, the heartbeat)."""
    return settings.Q_CLUSTER["timeout"] * 3 / 4


def run_deadline():
    """The time.monotonic() moment by which a run starting now has finished sending."""
    return time.monotonic() + run_budget()


def lease():
    """How long a claim holds: no run lives longer than django-q2's task timeout, and a run keeps
    its claims only inside its budget, so a row claimed longer ago was left by a run that died."""
    return dt.timedelta(seconds=settings.Q_CLUSTER["timeout"])


def per_message():
    """Seconds one message may take, connecting included: EMAIL_TIMEOUT, but at most a third
    of the budget, so a run has room for one message and closing its connection."""
    return min(settings.EMAIL_TIMEOUT, run_budget() / 3)


def claim_batch(now, *, limit=BATCH, ids=None, kinds=None, token=None):
    """Claim up to `limit` sendable rows for this run; returns the claimed rows, oldest first.

    One transaction reads the candidates and claims them with an UPDATE that re-checks each
    is still free. On PostgreSQL the read locks them, skipping rows another run is claiming, so
    racing runs take different rows without waiting (never deadlocking); SQLite's IMMEDIATE
    transaction keeps other writers out from the read to the commit. A row is free if nobody
    holds it or its claim has lapsed (lease()): a run that died leaves its claimed rows to the
    next. The same UPDATE settles a row such a run left `sending` (handed to the server): it
    becomes unsure, never sent again on its own. Failed rows wait for their `retry_at`, so a
    run does not retry in a loop what it just saw fail.
    """
    token = token or uuid.uuid4().hex
    lapsed = now - lease()
    due = Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    sendable = Q(state=State.QUEUED) | (Q(state=State.FAILED, attempts__lt=MAX_ATTEMPTS) & due)
    claimable = OutboundEmail.objects.filter(  # the state IN (...) first: the sender's index (state, created_at)
        Q(state__in=[State.QUEUED, State.FAILED, State.SENDING]),
        (sendable & (Q(claim_token="") | Q(claimed_at__lt=lapsed))) | Q(state=State.SENDING, claimed_at__lt=lapsed),
    )
    candidates = claimable
    if ids is not None:  # those rows, and the notices that go out beside them (queue_notices)
        candidates = candidates.filter(Q(pk__in=ids) | Q(beside__in=ids))
    if kinds is not None:
        candidates = candidates.filter(kind__in=kinds)
    left = Q(state=State.SENDING)
    with transaction.atomic(savepoint=False):
        rows = list(candidates.order_by("created_at", "pk").select_for_update(skip_locked=True)[:limit])
        if not rows:
            return []
        taken = claimable.filter(pk__in=[row.pk for row in rows]).update(
            claim_token=Case(When(left, then=F("claim_token")), default=Value(token)), claimed_at=now,
            state=Case(When(left, then=Value(State.UNSURE)), default=F("state")),
            last_error=Case(When(left, then=Value(DIED)), default=F("last_error"), output_field=TextField()),
        )
    if taken < len(rows):  # another run won some of them (not with the locks above): ask which are ours
        rows = OutboundEmail.objects.filter(claim_token=token).order_by("created_at", "pk")
    return [row for row in rows if row.state in (State.QUEUED, State.FAILED)]


def deliver_pending(now, *, ids=None, kinds=None, limit=BATCH, deadline=None):
    """Send what is queued (or failed before and due again), in small batches, each over one
    SMTP connection, until `deadline` (a time.monotonic() moment; run_deadline() if None).

    Returns (sent, failed): `failed` counts sends that raised, and those left unsure. `ids`
    restricts the run to those rows (a caller sending what it just queued), `kinds` to those
    kinds (the sweep retries nudges; a digest is retried only by the digest run, which knows
    whether its day is over); without them every pending row is fair game. A batch is no
    bigger than the messages that fit in the time left (per_message() each, and one for closing
    the connection), so a run never holds a claim it cannot finish. A run ends when the server
    cannot be reached or lost a message, or when a whole batch failed.
    """
    deadline = run_deadline() if deadline is None else deadline
    seconds = per_message()
    token = uuid.uuid4().hex
    sent = failed = 0
    while (size := min(limit, int((deadline - time.monotonic()) // seconds) - 1)) > 0:
        rows = claim_batch(now, limit=size, ids=ids, kinds=kinds, token=token)
        if not rows:
            break
        batch = send_batch(rows, now=now, token=token, per_message=seconds)
        sent, failed = sent + len(batch.sent), failed + len(batch.failed) + len(batch.unsure)
        if batch.stopped or not batch.sent or len(rows) < size:  # nothing more to do in this run
            break
    return sent, failed


def send_again(owner, pk):
    """Queue `owner`'s unsure e-mail `pk` again, on their request (rule 6): it keeps its
    Message-ID, so a receiving system that already has it can tell. False if it is not unsure."""
    return OutboundEmail.objects.filter(pk=pk, owner=owner, state=State.UNSURE).update(
        state=State.QUEUED, claim_token="", retry_at=None) == 1


def undelivered(owner, now, *, limit=10):
    """The owner's recent e-mails that have not reached them as they should (one query, newest
    first): unsure (handed to the server, no answer heard), left `sending` by a run that died
    with no run since, given up after MAX_ATTEMPTS counted sends, or a nudge still being
    retried an hour after it was queued. The dashboard says which, calmly."""
    unsure = Q(state=State.UNSURE)
    stuck = Q(state=State.SENDING, claimed_at__lt=now - STUCK_AFTER)
    given_up = Q(state=State.FAILED, attempts__gte=MAX_ATTEMPTS)
    late = Q(state=State.FAILED, kind=OutboundEmail.Kind.NUDGE, created_at__lt=now - LATE_AFTER)
    return list(
        OutboundEmail.objects.filter(unsure | stuck | given_up | late, owner=owner,
                                     created_at__gte=now - TROUBLE_SHOWN_FOR)
        .select_related("target").only("kind", "subject", "state", "attempts", "last_error", "created_at",
                                       "target__label", "target__service").order_by("-created_at")[:limit]
    )
