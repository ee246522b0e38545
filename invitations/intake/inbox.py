"""The review inbox: the messages that need a look, and what the user decides about each.

"Log it" goes through the quick-add form, pre-filled with what was found, and logs through
log_invitation: the invitation and the message marked logged are one transaction, and a
message someone else handled meanwhile (another tab, a retry) is refused, not logged twice.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from invitations.intake.log import log_invitation
from invitations.models import InboundMessage

State = InboundMessage.State
LISTED = 100
HANDLED_SHOWN = 20


def waiting(owner):
    """The owner's messages waiting for a look, newest first (the inbox and the dashboard's count)."""
    return InboundMessage.objects.filter(owner=owner).waiting().defer("raw").order_by("-received_at", "-pk")


def handled_lately(owner):
    """The last messages dealt with, so nothing read is out of sight."""
    return (InboundMessage.objects.filter(owner=owner).exclude(state__in=InboundMessage.WAITING).defer("raw")
            .select_related("invitation__client").order_by("-received_at", "-pk")[:HANDLED_SHOWN])


def dismiss(message, *, now):
    """File a waiting message as not an invitation; False if it was no longer waiting."""
    return bool(InboundMessage.objects.filter(pk=message.pk, state__in=InboundMessage.WAITING).update(
        state=State.NOT_INVITATION, reason=f"Filed by you as not an invitation on {now:%Y-%m-%d %H:%M} UTC."))


def prefill(message):
    """The quick-add form's starting values: what reading the message found."""
    found = message.found or {}
    initial = {name: found[name] for name in ("client", "company", "email", "title", "url", "notes") if found.get(name)}
    if found.get("platform"):
        initial["platform"] = found["platform"]
    for name in ("received_at", "reply_by"):
        if found.get(name):
            initial[name] = dt.datetime.fromisoformat(found[name])
    return initial


def log_from(message, *, now, **fields):
    """Log the invitation the user checked (log_invitation's arguments) and mark the message logged with it."""
    with transaction.atomic():
        invitation = log_invitation(message.owner, now=now, **fields)
        marked = InboundMessage.objects.filter(pk=message.pk, state__in=InboundMessage.WAITING).update(
            state=State.LOGGED, invitation=invitation, reason=f"Logged by you as invitation {invitation.pk}.")
        if not marked:
            raise ValidationError("This e-mail was dealt with meanwhile (see the inbox); nothing was logged.")
    return invitation
