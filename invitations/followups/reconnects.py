"""Reconnecting when a busy period ends: what is due, marking it done, and contacts that make it moot.

One contact rule for every way the user was in touch (docs/design.md, rule 3, "The contact
rule"), so nobody is told to reconnect with a client they just spoke to, while a promise made for
the end of a busy period the client was told about still stands.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from invitations.followups.lifecycle import mark_done, needs_an_answer
from invitations.models import Channel, FollowUp, FollowUpKind
from invitations.text import text_problem

QUIET_AFTER_CONTACT = dt.timedelta(days=7)
NOTE_LIMIT = 10_000
CONTACT_NOTE = "Contact logged"
UNANSWERED = ("This invitation is not answered yet, so its reply is not done: answer it, or record the answer "
              "you gave outside noghost (Answered elsewhere).")  # the `note` of the done follow-up a logged contact is kept as


def mark_reconnected(followup, *, now, channel, note=""):
    """Record that the user reconnected, when and how (the reconnect page). False if it was done already."""
    errors = _contact_errors(channel, note)
    if followup.kind != FollowUpKind.RECONNECT:
        errors["followup"] = ["This follow-up is not a reconnect."]
    if errors:
        raise ValidationError(errors)
    return finish(followup, now=now, channel=channel, note=note.strip())


def finish(followup, *, now, channel="", note=""):
    """Mark any follow-up done (every "Done" goes through here). False if it was done already.

    Reconnecting is a contact: the client's other reconnects it makes moot are closed with it.
    The reply of an unanswered invitation is not done until it is answered: ValidationError
    (record the answer instead, "Answered elsewhere" if it was given outside noghost).
    A note too long or not plain text raises ValidationError; nothing is written then.
    """
    if needs_an_answer(followup):
        raise ValidationError({"followup": [UNANSWERED]})
    errors = _note_errors(note)
    if channel and channel not in Channel.values:
        errors["channel"] = [f"Say how it was done: one of {', '.join(Channel.values)}."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        done = mark_done(followup, now=now, channel=channel, note=note)
        if done and followup.kind == FollowUpKind.RECONNECT:
            contact_made(followup.client or followup.invitation.client, now=now, channel=channel,
                         note=f"Reconnected on {now:%Y-%m-%d}; no second reconnect needed.")
    return done


def contact_made(client, *, now, at=None, channel="", note="", besides=None):
    """A contact with `client` at `at` (default now) closes the reconnects it makes moot; returns how many.

    `besides`: an invitation whose own reconnect the caller settles itself (an answer re-dates it).
    """
    at = at or now
    # By owner first: the open follow-ups' index (fu_open_due) narrows it to this user's, due by then.
    promised_by, due_by = moot_window(at)
    moot = FollowUp.objects.filter(owner_id=client.owner_id).reconnects().open().with_client(client).filter(
        created_at__lte=promised_by, due_at__lte=due_by)
    if besides is not None:
        moot = moot.exclude(invitation=besides)
    return moot.update(
        done_at=now, done_channel=channel, done_note=note or f"In touch on {at:%Y-%m-%d}; no reconnect needed.",
    )


def moot_window(at):
    """(promised by, due by): a contact at `at` makes moot an open reconnect with that client opened
    by `at` (an invitation that arrived on Sunday, logged on Tuesday, leaves Monday's promise) and
    due within QUIET_AFTER_CONTACT of it. contact_made asks the database; an import, its own rows."""
    return at, at + QUIET_AFTER_CONTACT


def makes_moot(followup, at):
    """Whether a contact at `at` closes this open reconnect (moot_window), for rows held in memory."""
    promised_by, due_by = moot_window(at)
    return followup.done_at is None and followup.created_at <= promised_by and followup.due_at <= due_by


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
            owner=client.owner, kind=FollowUpKind.CUSTOM, client=client, created_at=now, due_at=now, done_at=now,
            done_channel=channel, done_note=note.strip(), note=CONTACT_NOTE,
        )
    return contact, closed


def _contact_errors(channel, note):
    errors = _note_errors(note)
    if channel not in Channel.values:
        errors["channel"] = [f"Say how you were in touch: one of {', '.join(Channel.values)}."]
    return errors


def _note_errors(note):
    """A note fits its field and is plain text (text.text_problem)."""
    problems = [text_problem(note)]
    if len(note or "") > NOTE_LIMIT:
        problems.append(f"Keep the note under {NOTE_LIMIT} characters.")
    return {"note": [p for p in problems if p]} if any(problems) else {}
