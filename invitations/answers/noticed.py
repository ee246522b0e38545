"""Settling a reply noticed in the user's mail (docs/design.md, rule 12) on the user's word.

The dashboard asks "accepted or declined?" about a reply noghost could not read as either. The
answer is recorded through respond() as given by e-mail at the reply's Date, with the reply's own
text as its message, and the question goes in the same transaction. A reply about an invitation
answered or withdrawn meanwhile records nothing: the question is simply dropped.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from invitations.answers.respond import respond
from invitations.models import Channel, NoticedReply, Status

ANSWERS = {"accepted": "accept", "declined": "decline"}


def settle(owner, pk, answer):
    """Record `answer` ("accepted" or "declined") for `owner`'s NoticedReply `pk`; returns its invitation,
    or None when nothing was recorded (settled already, or the invitation is no longer open).

    Raises NoticedReply.DoesNotExist for a reply not theirs, ValidationError for a refused answer."""
    with transaction.atomic():
        noticed = NoticedReply.objects.select_for_update().select_related("invitation").get(owner=owner, pk=pk)
        if answer not in ANSWERS:
            raise ValidationError({"answer": [f"{answer!r} is not an answer here; use accepted or declined."]})
        invitation, was_open = noticed.invitation, noticed.invitation.status == Status.OPEN
        if was_open:
            respond(invitation, now=noticed.sent_at, action=ANSWERS[answer], channel=Channel.EMAIL,
                    message=noticed.message, force=True)
        noticed.delete()
    return invitation if was_open else None
