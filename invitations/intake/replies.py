"""Replies noticed (docs/design.md, rule 12): the user answered a captured invitation from their own mail.

A message the user sent (read from their Sent folder, or a Bcc to their forwarding address from
their account's address) that answers an invitation (In-Reply-To/References name the invitation's captured
message, or it goes to the client's address while the invitation is open) is an answer sent by
e-mail at its Date. Its own text (quoted history stripped by mail-parser-reply) is kept. When it
clearly accepts or declines (noghost's own drafts' wording counts, the user sent one of them)
the answer is recorded through respond(), a stated busy period opening the reconnect; otherwise
the nudges stop and the dashboard asks which it was (NoticedReply).
"""

import email
import re
from email import policy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from mailparser_reply import EmailReplyParser

from invitations.answers.periods import busy_period_in
from invitations.answers.reply import Reply, draft_for
from invitations.answers.respond import respond
from invitations.clock import local_date
from invitations.followups.lifecycle import close_followups
from invitations.intake.reading import clean, header_date
from invitations.models import Channel, FollowUpKind, InboundMessage, Invitation, NoticedReply, Status

IDS = re.compile(r"<([^<>\s]+)>")
SAYS = {
    "accept": re.compile(r"\b(happy to (take|help|start|do)|glad to|i'?d love to|i accept|count me in|i'?m in\b|"
                         r"let'?s (do it|go ahead|start)|sounds (great|good)|yes,? i can)", re.IGNORECASE),
    "decline": re.compile(r"\b(declin|(can ?not|can'?t|unable to|not able to) (take|accept|do|help)|have to pass|"
                          r"must pass|i'?ll pass|fully booked|no capacity|not available|not the right fit)", re.IGNORECASE),
}


def notice(raw, *, owner, now):
    """(invitation, "accept" | "decline" | None) for the open invitation this message, written by
    `owner`, answers (the answer recorded, or asked about when it is unclear), else None.

    The caller vouches that the user wrote it: it comes from their Sent folder, or from_owner().
    """
    message = email.message_from_bytes(raw, policy=policy.default)
    invitation = answered(message, owner)
    if invitation is None:
        return None
    sent_at = min(header_date(str(message.get("date", ""))) or now, now)
    text = own_text(message)
    with transaction.atomic():
        action = record(invitation, text, sent_at=sent_at, now=now)
        if action is None:
            unclear(invitation, text, sent_at=sent_at)
    return invitation, action


def unclear(invitation, text, *, sent_at):
    """An answer sent that says neither yes nor no plainly: no more nudges, and the dashboard asks."""
    close_followups(invitation, [FollowUpKind.REPLY], now=sent_at)
    Invitation.objects.filter(pk=invitation.pk).update(
        responded_at=sent_at, response_channel=Channel.EMAIL, response_message=text[:10_000],
        flagged_at=Coalesce("flagged_at", Value(sent_at)),  # flagged: the sweep never nudges it now
    )
    NoticedReply.objects.update_or_create(
        invitation=invitation, defaults={"owner": invitation.owner, "sent_at": sent_at, "message": text[:10_000]})


def from_owner(address, owner):
    """Whether mail that reached noghost (a Bcc to the forwarding address) is the user's own:
    sent from their account's address. Their mailbox's Sent folder needs no such check."""
    return bool(address) and address.lower() == (owner.email or "").lower()


def answered(message, owner):
    """The open invitation `message` answers, by the messages it refers to, else by the client's address."""
    refs = IDS.findall(f"{message.get('in-reply-to', '')} {message.get('references', '')}")
    captured = (InboundMessage.objects.filter(owner=owner, message_id__in=refs, invitation__isnull=False)
                .select_related("invitation").first()) if refs else None
    if captured is not None:
        invitation = captured.invitation
        return invitation if invitation.status == Status.OPEN else None
    recipients = [address.lower() for _, address in email.utils.getaddresses(
        [str(value) for key in ("to", "cc") for value in message.get_all(key, [])])]
    open_ones = Invitation.objects.filter(owner=owner, status=Status.OPEN, client__email__in=recipients)
    return open_ones.order_by("-received_at").first() if recipients else None


def own_text(message):
    """The reply's plain text without the quoted history under it."""
    part = message.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    return clean(EmailReplyParser(languages=["en"]).parse_reply(text=body)).strip()


def says(invitation, text, *, now):
    """"accept" or "decline" when the text clearly gives one answer (as noghost drafts it, or in
    common words), else None."""
    found = {action for action, pattern in SAYS.items() if pattern.search(text)}
    for action in ("accept", "decline"):
        if any(pattern.search(text) for pattern in draft_for(invitation, Reply(action=action), now=now).decisions):
            found.add(action)
    return found.pop() if len(found) == 1 else None


def record(invitation, text, *, sent_at, now):
    """Record the answer the text gives through respond(): the action, or None when it gives none clearly."""
    action = says(invitation, text, now=now)
    if action is None:
        return None
    busy = None
    if action == "decline":
        busy = busy_period_in(text, today=local_date(sent_at, invitation.owner.profile.zone))
    try:
        with transaction.atomic():
            respond(invitation, now=sent_at, action=action, busy_until=busy, channel="email", message=text, force=True)
    except ValidationError:
        return None
    return action
