"""Opening, closing, snoozing and finishing follow-ups: what the user owes someone."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from invitations.models import FollowUp, FollowUpKind, Status

# A `reply` follow-up of an invitation still open: only an answer closes it (answers/respond.py),
# never "Done", or the invitation would leave "Needs me now" while still unanswered.
UNANSWERED_REPLY = Q(kind=FollowUpKind.REPLY, invitation__status=Status.OPEN)


def open_followup(owner, kind, *, now, due_at, invitation=None, client=None, note="", fresh=False):
    """Open a follow-up of `kind` at `now`, or return the one already open for that invitation.

    The partial unique constraint (one open follow-up per invitation and kind) decides, races
    included: the INSERT goes first, inside a savepoint, and only when the constraint refuses it
    is the open one read. Opening is the common case (every logged invitation opens its `reply`),
    so that is one INSERT, not a read and then an INSERT. `fresh`: the invitation was saved in the
    caller's transaction, so nobody else can have opened one for it, and no savepoint is needed.
    Returns (followup, created).
    """
    followup = new_followup(owner, kind, now=now, due_at=due_at, invitation=invitation, client=client, note=note)
    if fresh:
        followup.save()
        return followup, True
    try:
        with transaction.atomic():
            followup.save()
    except IntegrityError:
        existing = None if invitation is None else FollowUp.objects.filter(
            invitation=invitation, kind=kind, done_at=None).first()
        if existing is None:  # another constraint refused it: not a twin to reuse
            raise
        return existing, False
    return followup, True


def new_followup(owner, kind, *, now, due_at, invitation=None, client=None, note=""):
    """A follow-up as opening one makes it, unsaved: about the invitation's client unless another
    is given, opened at `now`. open_followup saves it; an import saves many at once (bulk_create)."""
    return FollowUp(owner=owner, kind=kind, invitation=invitation, client=client or getattr(invitation, "client", None),
                    due_at=due_at, note=note, created_at=now)


def add_followup(invitation, *, now, kind, due_at, note="", snoozed_until=None, done_at=None):
    """A follow-up the user adds by hand (the admin's inline). An open one goes through
    open_followup, so it gets its client and opening time like any other and the one-per-kind
    constraint decides; one typed as done already is kept as the record of what was done."""
    if done_at is not None:
        return FollowUp.objects.create(
            owner=invitation.owner, kind=kind, invitation=invitation, client=invitation.client, due_at=due_at,
            note=note, snoozed_until=snoozed_until, done_at=done_at, created_at=now,
        )
    followup, _ = open_followup(invitation.owner, kind, now=now, due_at=due_at, invitation=invitation, note=note)
    if snoozed_until is not None:
        FollowUp.objects.filter(pk=followup.pk).update(snoozed_until=snoozed_until)
    return followup


def close_followups(invitation, kinds, *, now):
    """Mark the invitation's open follow-ups of these kinds done; returns how many closed."""
    return FollowUp.objects.filter(invitation=invitation, kind__in=kinds, done_at=None).update(done_at=now)


def snooze(followup, *, until, now):
    """Hide an open follow-up from lists and digests until `until`. False if already done."""
    if until <= now:
        raise ValueError("snooze until a moment in the future")
    return FollowUp.objects.filter(pk=followup.pk, done_at=None).update(snoozed_until=until) == 1


def needs_an_answer(followup):
    """Whether this is the reply of an invitation still open, which only an answer may close."""
    return followup.kind == FollowUpKind.REPLY and followup.invitation_id is not None \
        and followup.invitation.status == Status.OPEN


def mark_done(followup, *, now, channel="", note=""):
    """Close an open follow-up, recording how it was done. False if it was done already, or if it is
    the reply of an invitation still open (UNANSWERED_REPLY: re-checked as it writes)."""
    return FollowUp.objects.filter(pk=followup.pk, done_at=None).exclude(UNANSWERED_REPLY).update(
        done_at=now, done_channel=channel, done_note=note
    ) == 1


def undo_done(followup, *, at):
    """Reopen a follow-up done at `at` (the Undo offered right after Done), with the reconnects that
    Done closed beside it (same owner, same moment). False if it changed since, or if a newer one of
    its kind is open (the one-open-per-kind constraint)."""
    closed_with_it = FollowUp.objects.filter(owner=followup.owner_id, done_at=at)
    if followup.kind == FollowUpKind.RECONNECT:
        closed_with_it = closed_with_it.filter(Q(pk=followup.pk) | Q(kind=FollowUpKind.RECONNECT))
    else:
        closed_with_it = closed_with_it.filter(pk=followup.pk)
    try:
        with transaction.atomic():
            if not closed_with_it.filter(pk=followup.pk).exists():
                return False
            closed_with_it.update(done_at=None, done_channel="", done_note="")
    except IntegrityError:
        return False
    return True


def undo_snooze(followup, *, until, previous):
    """Put back the snooze a follow-up had (`previous`, often none) if it is still snoozed to `until`."""
    return FollowUp.objects.filter(pk=followup.pk, done_at=None, snoozed_until=until).update(
        snoozed_until=previous) == 1
