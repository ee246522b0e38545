"""Capturing one e-mail (docs/design.md, rule 9): the one function behind the SMTP address, the pipe and the upload.

The raw message is stored before anything is acted on; the (owner, Message-ID) constraint makes
the same message twice one row, whoever delivers it and however they race. Reading it runs once:
a claim (the row locked, its state re-checked, the owner's profile row locked too, so two
messages about one job read at once cannot both log it) lets only one reader act. A reader that
raises is rolled back and leaves the message `failed` with its reason; "try again" reads it anew.

The SMTP receiver must answer before reading, so it commits the row alone (store()) and queues
read_stored(), which UPDATEs the row with what reading found. The pipe and the upload hold the
message until capture() returns, so there the message is parsed once, read, and its row INSERTed
already read, all in one transaction: nothing outside it sees the invitation before the message
that made it, and a crash before the commit loses nothing the caller does not still hold (the
mail system retries a pipe that did not exit 0; the browser still has the file). A second
delivery of the same message waits on the owner's profile lock (PostgreSQL) or the write lock
(SQLite), then its INSERT fails on the constraint, which undoes whatever it did, and the first
row is returned. One transaction, one write of the row, no savepoint of its own: a logged
capture is 12 statements (BEGIN and COMMIT counted) where a stored-then-read one is 17. A
message over INBOUND_MAX_BYTES, or one the
whole parse fails on, is stored from its headers alone and read by act() from its bytes.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from invitations.intake import acting
from invitations.intake.reading import Reading, identified, one_line, read, read_headers
from invitations.models import InboundMessage, Profile

logger = logging.getLogger(__name__)
State = InboundMessage.State
READABLE = [State.RECEIVED, State.FAILED]


def capture(raw, *, owner, now, via):
    """Store the raw bytes of one RFC 5322 message for `owner`, then read it and act on it.

    Returns the message row; `.repeated` is True when it had arrived before (that earlier row
    is returned, read if it never was).
    """
    reading = parsed(raw)
    try:
        with transaction.atomic():
            message = unsaved(raw, owner=locked(owner), now=now, via=via, headers=reading)
            read_unsaved(message, now=now, reading=reading)
            message.save(force_insert=True)
        created = True
    except Unread as unread:  # rolled back: nothing half logged; the message is kept, failed
        logger.error("reading an inbound message failed", exc_info=unread.__cause__)
        failed = unsaved(raw, owner=owner, now=now, via=via, headers=reading)
        failed.state, failed.reason = State.FAILED, failure(unread.__cause__)
        message, created = kept(failed)
    except IntegrityError:  # the same message, stored by a delivery that committed first
        message, created = earlier(owner, message.message_id), False
    if message.state == State.RECEIVED:  # stored earlier and never read (a lost task, a crash)
        message = read_stored(message.pk, now=now, owner=owner)
    message.repeated = not created
    return message


class Unread(Exception):
    """Reading raised (its cause): the transaction is undone and the message stored as failed."""


def read_unsaved(message, *, now, reading):
    try:
        acting.act(message, now=now, outer=reading)
    except Exception as exc:
        raise Unread from exc


def parsed(raw):
    """The whole message's Reading, or None for one too big to read or that reading raises on
    (act() reads it again and records why it failed)."""
    if len(raw) > settings.INBOUND_MAX_BYTES:
        return None
    try:
        return read(raw)
    except Exception:
        return None


def store(raw, *, owner, now, via):
    """The message as a row, before anything reads it: (row, created)."""
    return kept(unsaved(raw, owner=owner, now=now, via=via))


def unsaved(raw, *, owner, now, via, headers=None):
    """The message's row, not yet saved: only the headers are parsed here (the Message-ID,
    sender, subject and date), unless the caller has read the message (`headers`, its Reading)."""
    try:
        headers = headers or read_headers(raw)
    except Exception:  # a header block the parser chokes on is still a message to keep
        logger.exception("could not read the headers of a %d-byte message", len(raw))
        headers = identified(Reading(), raw)
    return InboundMessage(
        owner=owner, message_id=headers.message_id, sender=sender_line(headers), subject=one_line(headers.subject, 300),
        sent_at=headers.sent_at, size=len(raw), raw=raw, received_at=now, via=via,
    )


def kept(message):
    """(row, created): `message` INSERTed, or the row of the same owner and Message-ID stored
    before it (the constraint refuses the second INSERT)."""
    try:
        with transaction.atomic():
            message.save(force_insert=True)
        return message, True
    except IntegrityError:
        return earlier(message.owner, message.message_id), False


def earlier(owner, message_id):
    row = InboundMessage.objects.filter(owner=owner, message_id=message_id).first()
    if row is None:
        raise IntegrityError(f"inbound message {message_id!r} was refused but is not stored")
    return row


def sender_line(reading):
    if reading.sender_name and reading.sender:
        return one_line(f"{reading.sender_name} <{reading.sender}>", 300)
    return reading.sender or reading.sender_name


def read_stored(pk, *, now, owner=None):
    """Read a stored message and act on what it says, once; returns the row as it now stands.

    `owner`: the message's owner as the caller has them (with their profile), saving a query.
    """
    with transaction.atomic():
        message = claim(pk, owner)
        if message is not None:
            return read_claimed(message, now=now)
    return InboundMessage.objects.select_related("invitation__client").get(pk=pk)


def read_claimed(message, *, now, reading=None):
    """Act on a message this transaction holds, in a savepoint: one that raises leaves it `failed`.

    `reading`: the message already parsed (capture()), not parsed again."""
    try:
        with transaction.atomic():
            acting.act(message, now=now, outer=reading)
            message.save(update_fields=acting.READ_FIELDS)
            return message
    except Exception as exc:
        logger.exception("reading inbound message %s failed", message.pk)
        fail(message.pk, exc)
    return InboundMessage.objects.select_related("invitation__client").get(pk=message.pk)


def claim(pk, owner=None):
    """The message, locked, if it still waits to be read (else None), with its owner; on PostgreSQL
    the owner's profile is locked too. (On SQLite the transaction's IMMEDIATE write lock already
    holds every row.)"""
    waiting = InboundMessage.objects.filter(pk=pk, state__in=READABLE)
    message = (waiting.select_for_update() if connection.features.has_select_for_update else waiting).first()
    if message is None:
        return None
    if owner is None or owner.pk != message.owner_id:
        owner = get_user_model().objects.select_related("profile").get(pk=message.owner_id)
    message.owner = locked(owner)
    return message


def locked(owner):
    """`owner`, with their profile row locked where the database has row locks (PostgreSQL)."""
    if connection.features.has_select_for_update:
        owner.profile = Profile.objects.select_for_update().get(user_id=owner.pk)
    return owner


def fail(pk, exc):
    """Mark a message that reading raised on `failed`, with a reason its owner can read."""
    InboundMessage.objects.filter(pk=pk, state__in=READABLE).update(state=State.FAILED, reason=failure(exc))


def failure(exc):
    """The reason a message is `failed`, in words its owner can read."""
    detail = one_line(str(exc), 300) or "no detail"
    return f"noghost could not read it ({type(exc).__name__}: {detail}). Try again, or log it by hand."[:500]


def retry(message, *, now):
    """Read a failed (or never read) message again, as if it had just arrived."""
    return read_stored(message.pk, now=now)
