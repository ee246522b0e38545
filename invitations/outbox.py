"""The mail outbox (rule 6): a message is a row before it is a send.

queue_email() writes the row inside the caller's transaction, next to the claim it belongs to
(a flag, a Digest row), so a rolled-back claim leaves no mail and a committed one never loses it.
deliver_pending() claims rows in bulk with one conditional UPDATE, so concurrent runs on any
number of machines never send a row twice; a send that raised is `failed` and retried by the
next run; a row left in `sending` by a crash stays visible and is never sent again on its own.
"""

import contextlib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F

from invitations.models import OutboundEmail

State = OutboundEmail.State
BATCH = 500


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


def claim_batch(now, *, limit=BATCH, ids=None, kinds=None):
    """Claim up to `limit` queued or failed rows for this run; returns the claimed rows.

    The UPDATE re-checks the state, so of two runs racing for a row only one changes it:
    the loser's UPDATE matches nothing and it simply claims other rows, or none.
    """
    token = uuid.uuid4().hex
    pending = OutboundEmail.objects.filter(state__in=[State.QUEUED, State.FAILED])
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    if kinds is not None:
        pending = pending.filter(kind__in=kinds)
    candidates = list(pending.order_by("created_at").values_list("pk", flat=True)[:limit])
    if not candidates:
        return []
    OutboundEmail.objects.filter(pk__in=candidates, state__in=[State.QUEUED, State.FAILED]).update(
        state=State.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
    )
    return list(OutboundEmail.objects.filter(claim_token=token, state=State.SENDING).order_by("pk"))


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
    """
    sent = failed = 0
    while True:
        batch = claim_batch(now, limit=limit, ids=ids, kinds=kinds)
        if not batch:
            return sent, failed
        delivered, errors = [], {}
        connection = get_connection()  # opened by the first send; one connection per batch
        for email in batch:
            try:
                as_message(email, connection).send()
                delivered.append(email.pk)
            except Exception as exc:  # any backend error: recorded on the row, retried next run
                errors[email.pk] = f"{type(exc).__name__}: {exc}"[:2000]
        with contextlib.suppress(Exception):
            connection.close()
        OutboundEmail.objects.filter(pk__in=delivered).update(state=State.SENT, sent_at=now, last_error="")
        for pk, error in errors.items():
            OutboundEmail.objects.filter(pk=pk).update(state=State.FAILED, last_error=error)
        sent, failed = sent + len(delivered), failed + len(errors)
        if errors and ids is None:
            return sent, failed  # the backend is failing: leave the rest for the next run
        if ids is not None:
            ids = [pk for pk in ids if pk not in delivered and pk not in errors]
            if not ids:
                return sent, failed
