"""Reconnecting when a busy period ends: what is due, marking it done, and contacts that make it moot.

The rule for contacts: when the user is in touch with a client anyway (a new invitation, a
logged call or note), every open reconnect with that client that is already due, or falls due
within QUIET_AFTER_CONTACT of the contact, is closed, recording the contact as how it was done.
Reconnects due later stay as they are: the busy period is still running and the promise
("I'll get in touch when it ends") still stands, and by then the contact is no longer fresh.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from invitations.followups import actionable, mark_done
from invitations.models import Channel, FollowUp, FollowUpKind

QUIET_AFTER_CONTACT = dt.timedelta(days=7)
NOTE_LIMIT = 10_000
CONTACT_NOTE = "Contact logged"  # the `note` of the done follow-up a logged contact is kept as


def due_reconnects(owner, now):
    """Open, unsnoozed reconnects of `owner` due by `now`, oldest first, with what a list shows."""
    return (
        actionable(owner, now).filter(kind=FollowUpKind.RECONNECT, due_at__lte=now)
        .select_related("client", "invitation__client").order_by("due_at", "pk")
    )


def pending_for(client):
    """Open reconnects with `client`, whether about its invitations or about it directly."""
    return FollowUp.objects.filter(kind=FollowUpKind.RECONNECT, done_at=None).filter(
        Q(client=client) | Q(invitation__client=client)
    )


def mark_reconnected(followup, *, now, channel, note=""):
    """Record that the user reconnected, when and how. False if it was done already."""
    errors = _contact_errors(channel, note)
    if followup.kind != FollowUpKind.RECONNECT:
        errors["followup"] = ["This follow-up is not a reconnect."]
    if errors:
        raise ValidationError(errors)
    return mark_done(followup, now=now, channel=channel, note=note.strip())


def contact_made(client, *, now, at=None, channel="", note=""):
    """A contact with `client` at `at` (default now) closes the reconnects it makes moot; returns how many."""
    at = at or now
    return pending_for(client).filter(due_at__lte=at + QUIET_AFTER_CONTACT).update(
        done_at=now, done_channel=channel, done_note=note or f"In touch on {at:%Y-%m-%d}; no reconnect needed.",
    )


def log_contact(client, *, now, channel, note):
    """Note a contact with `client` (a call, a meeting, a message) and apply the reconnect rule.

    Kept as a done `custom` follow-up, so it shows in the client's history with when and how.
    Returns (the contact, reconnects closed).
    """
    errors = _contact_errors(channel, note)
    if not (note or "").strip():
        errors.setdefault("note", []).append("Say in a few words what was said.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        closed = contact_made(client, now=now, channel=channel, note=f"Closed by a contact: {note.strip()}")
        contact = FollowUp.objects.create(
            owner=client.owner, kind=FollowUpKind.CUSTOM, client=client, due_at=now, done_at=now,
            done_channel=channel, done_note=note.strip(), note=CONTACT_NOTE,
        )
    return contact, closed


def _contact_errors(channel, note):
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = [f"Say how you were in touch: one of {', '.join(Channel.values)}."]
    if len(note or "") > NOTE_LIMIT:
        errors["note"] = [f"Keep the note under {NOTE_LIMIT} characters."]
    return errors
