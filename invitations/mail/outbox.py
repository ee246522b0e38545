"""The mail outbox (docs/design.md, rule 6): a message is a row before it is a send.

Queued in the caller's transaction beside its claim and claimed for sending by one conditional
UPDATE, so a rolled-back claim sends nothing, a crash loses nothing and no row goes out twice.
Whose fault a failed send was (server_trouble()) decides whether it counts against MAX_ATTEMPTS.
"""

import contextlib
import datetime as dt
import uuid
from smtplib import SMTPDataError, SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q

from invitations.models import OutboundEmail

State = OutboundEmail.State
BATCH = 500
MAX_ATTEMPTS = OutboundEmail.MAX_ATTEMPTS
# A send takes seconds: a row still `sending` after this long was left by a crash ...
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


def claim_batch(now, *, limit=BATCH, ids=None, kinds=None, token=None):
    """Claim up to `limit` sendable rows for this run; returns the claimed rows.

    The UPDATE re-checks the state, so of two runs racing for a row only one changes it:
    the loser's UPDATE matches nothing and it simply claims other rows, or none. A run passes
    its `token` to every claim, so a row it tried already (and saw fail) is not tried again.
    The claim counts the send in `attempts`; deliver_pending() gives it back if the server
    was at fault.
    """
    token = token or uuid.uuid4().hex
    pending = OutboundEmail.objects.sendable().exclude(claim_token=token)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    if kinds is not None:
        pending = pending.filter(kind__in=kinds)
    candidates = list(pending.order_by("created_at").values_list("pk", flat=True)[:limit])
    if not candidates:
        return []
    OutboundEmail.objects.sendable().filter(pk__in=candidates).update(
        state=State.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
    )
    return list(OutboundEmail.objects.filter(claim_token=token, state=State.SENDING).order_by("pk"))


def server_trouble(exc):
    """Whether a send failed through no fault of its message: such a send does not count
    against MAX_ATTEMPTS, so a server outage of any length gives no mail up.

    The message is at fault when the server answered and refused it (its recipient or its
    content), or when the send raised something not an OSError (a bug building it): trying again
    would fail again. Any other OSError (connection refused or reset, a timeout, DNS, a dropped
    connection, a refused greeting, login or sender: our configuration, failing every message
    alike) says nothing about this message. smtplib's errors are OSErrors too, hence the order.
    """
    if isinstance(exc, (SMTPRecipientsRefused, SMTPDataError)):
        return False
    return isinstance(exc, OSError)


def as_message(email, connection):
    message = EmailMultiAlternatives(
        email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to], connection=connection
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def deliver_pending(now, *, ids=None, kinds=None, limit=BATCH):
    """Send what is queued (or failed before), over one SMTP connection per batch.

    Returns (sent, failed). `ids` restricts the run to those rows (a caller sending what it
    just queued), `kinds` to those kinds (the sweep retries nudges; a digest is retried only by
    the digest run, which knows whether its day is over); without them every pending row is fair game.
    A batch with some mail refused goes on to the next; one where every send raised (the
    server is down) ends the run, leaving the rest for the next one. A send that failed through
    server_trouble() is not counted in `attempts`: its claim's increment is given back.
    """
    sent = failed = 0
    token = uuid.uuid4().hex
    while True:
        batch = claim_batch(now, limit=limit, ids=ids, kinds=kinds, token=token)
        if not batch:
            return sent, failed
        delivered, errors = [], {}
        connection = get_connection()  # opened by the first send; one connection per batch
        for email in batch:
            try:
                as_message(email, connection).send()
                delivered.append(email.pk)
            except Exception as exc:  # any backend error: recorded on the row, retried next run
                errors[email.pk] = (f"{type(exc).__name__}: {exc}"[:2000], server_trouble(exc))
        with contextlib.suppress(Exception):
            connection.close()
        OutboundEmail.objects.filter(pk__in=delivered).update(state=State.SENT, sent_at=now, last_error="")
        # One UPDATE per outcome, not per row: in an outage a whole batch fails alike.
        by_outcome = {}
        for pk, outcome in errors.items():
            by_outcome.setdefault(outcome, []).append(pk)
        for (error, servers_fault), pks in by_outcome.items():
            attempts = F("attempts") - 1 if servers_fault else F("attempts")
            OutboundEmail.objects.filter(pk__in=pks).update(state=State.FAILED, last_error=error, attempts=attempts)
        sent, failed = sent + len(delivered), failed + len(errors)
        if not delivered or len(batch) < limit:  # the server is down, or nothing was left to claim
            return sent, failed


def undelivered(owner, now, *, limit=10):
    """The owner's recent e-mails that have not reached them as they should (one query, newest
    first): left `sending` by a crash, given up after MAX_ATTEMPTS counted sends, or a nudge still
    being retried an hour after it was queued. The dashboard says which, calmly."""
    stuck = Q(state=State.SENDING, claimed_at__lt=now - STUCK_AFTER)
    given_up = Q(state=State.FAILED, attempts__gte=MAX_ATTEMPTS)
    late = Q(state=State.FAILED, kind=OutboundEmail.Kind.NUDGE, created_at__lt=now - LATE_AFTER)
    return list(
        OutboundEmail.objects.filter(stuck | given_up | late, owner=owner, created_at__gte=now - TROUBLE_SHOWN_FOR)
        .only("kind", "subject", "state", "attempts", "last_error", "created_at").order_by("-created_at")[:limit]
    )
