"""What a one-click link from a reminder does once its POST comes (docs/design.md, rule 16).

The link was checked already (mail/links.read_link: signed for its user, not expired); here it
is used once: the UsedLink row with its nonce is inserted first, in the transaction that acts,
so of two POSTs exactly one acts and the other hears it was used, and an action refused (the
invitation answered meanwhile) leaves the link unused and nothing changed. Acting goes through
the domain as the pages do: followups.lifecycle.snooze(), respond(sent=False).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from invitations.answers.respond import respond
from invitations.followups.lifecycle import snooze
from invitations.models import FollowUp, FollowUpKind, Invitation, Status, UsedLink

SNOOZE_FOR = dt.timedelta(days=1)


class LinkUsed(Exception):
    """This link acted before (its nonce is in UsedLink)."""


class CannotAct(Exception):
    """The link is sound but what it asks no longer makes sense (answered, done); nothing changed."""


@dataclass
class Done:
    """What a link did: `invitation` or `followup` it acted on, and for a decline its Answer."""

    action: str
    invitation: Invitation = None
    followup: FollowUp = None
    answer: object = None


def target_of(link, owner):
    """The owner's invitation or follow-up the link names, or None (not theirs, or gone)."""
    model = Invitation if link.subject == "i" else FollowUp
    return model.objects.select_related("client").filter(pk=link.pk, owner=owner).first()


def use(link, target, *, owner, now):
    """Use `link` once on `target` (from target_of()); returns Done, or raises LinkUsed or CannotAct."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsedLink.objects.create(owner=owner, nonce=link.nonce, action=link.action, used_at=now)
        except IntegrityError:
            raise LinkUsed() from None
        return act(link, target, now=now)


def act(link, target, *, now):
    if isinstance(target, FollowUp):
        if link.action == "snooze" and not snooze(target, until=now + SNOOZE_FOR, now=now):
            raise CannotAct("This follow-up is done already.")
        return Done(link.action, followup=target)
    if target.status != Status.OPEN:
        raise CannotAct(f"This invitation is {target.get_status_display().lower()} already.")
    if link.action == "snooze":
        reply = FollowUp.objects.filter(invitation=target, kind=FollowUpKind.REPLY, done_at=None).first()
        if reply is None or not snooze(reply, until=now + SNOOZE_FOR, now=now):
            raise CannotAct("This invitation has nothing left to snooze.")
    elif link.action == "decline":
        try:
            answer = respond(target, now=now, action="decline", reason="busy", busy_until=link.busy_until, sent=False)
        except ValidationError as error:
            raise CannotAct(" ".join(error.messages)) from None
        return Done(link.action, invitation=answer.invitation, answer=answer)
    return Done(link.action, invitation=target)
