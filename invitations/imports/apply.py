"""Carrying out a previewed import: every new invitation logged and answered, in one transaction.

Through log_invitation and respond, as if typed in, so every rule holds (reply-by from the reply
window, the `reply` follow-up, reconnects for stated busy periods, the contact rule, an
AnswerEvent per answer). Lines go in the order they arrived, so contacts close what they should.
A line the domain refuses after all (the data changed since the preview) undoes the whole import.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from invitations.answers.respond import respond
from invitations.imports.plan import answered_at, key, plan, reply_for
from invitations.intake.log import log_invitation
from invitations.models import Client, Status


class ImportRefused(Exception):
    """A line refused while importing: nothing was imported. Carries the line and the reasons."""

    def __init__(self, line, errors):
        self.line, self.errors = line, errors
        reasons = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        super().__init__(f"Line {line} was refused ({reasons}); nothing was imported.")


@dataclass(frozen=True)
class Imported:
    invitations: int
    answered: int
    new_clients: int
    matched: int
    bad: int


def import_rows(owner, header, rows, mapping, *, now):
    """Plan the rows again (the database may have changed since the preview) and import the new
    ones, skipping the bad rows and those here already. Returns Imported."""
    preview = plan(owner, header, rows, mapping, now=now)
    clients = {key(client.name): client for client in Client.objects.filter(owner=owner)}
    known = len(clients)
    answered = 0
    lines = sorted(preview.create, key=lambda line: (line.values["received"] or now, line.line))
    with transaction.atomic():
        for line in lines:
            answered += _import_line(owner, line, clients, now=now)
    return Imported(len(lines), answered, len(clients) - known, len(preview.matched), preview.bad_lines)


def _import_line(owner, line, clients, *, now):
    """Log (and answer) one line; 1 if it was answered. Clients are looked up in `clients` and added."""
    values = line.values
    try:
        invitation = log_invitation(
            owner, now=now, client=clients.get(key(values["client"]), values["client"]), company=values["company"],
            email=values["email"], phone=values["phone"], title=values["title"],
            platform=values["platform"] or "direct", received_at=values["received"], reply_by=values["reply_by"],
            url=values["url"], notes=values["notes"],
            referred_by=clients.get(key(values["referred_by"]), values["referred_by"]) if values["referred_by"] else None,
        )
        for party in (invitation.client, invitation.referred_by):
            if party is not None:
                clients.setdefault(key(party.name), party)
        if (values["status"] or Status.OPEN) == Status.OPEN:
            return 0
        reply = reply_for(values)
        respond(invitation, now=answered_at(values, invitation), action=reply.action, reason=reply.reason,
                busy_until=reply.busy_until, channel=reply.channel, message=reply.message,
                interview_at=reply.interview_at, force=True)
        return 1
    except ValidationError as exc:
        raise ImportRefused(line.line, exc.message_dict)
