"""Writing an import's new lines: rules 1 and 3 applied to many rows at once (docs/design.md, rule 10).

Each line is made by the functions that log and answer one invitation (intake.log's new_client
and save_new_client, answers.respond's recorded() and owed(), followups' new_followup and the
contact rule's makes_moot), in the order typing the lines in would: line by line in arrival
order, its arrival and then its answer. Only the writing is done otherwise: each invitation is
saved once, its answer on it (a refusal names its line); its follow-ups and AnswerEvents are
kept and go in with bulk_create at the end; and the contact rule is applied to the reconnects
held in memory (the user's open ones, read once, and those the import opens), the user's own
closed with one bulk_update. A 10,000-line import was 20 statements a line this way round.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import F

from invitations.answers.respond import answered_note, owed, recorded
from invitations.followups.lifecycle import new_followup
from invitations.followups.reconnects import makes_moot
from invitations.imports.plan import answered_at, key, reply_for
from invitations.intake.log import ARRIVAL_NOTE, new_client, save_new_client
from invitations.models import AnswerEvent, Client, FollowUp, FollowUpKind, Status

BATCH = 1000  # rows per bulk INSERT: well under SQLite's bound-parameter limit


class ImportRefused(Exception):
    """A line refused while importing: nothing was imported. Carries the line and the reasons."""

    def __init__(self, line, errors):
        self.line, self.errors = line, errors
        reasons = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        super().__init__(f"Line {line} was refused ({reasons}); nothing was imported.")


class Writer:
    """The import's writes, inside the caller's transaction: add() each new line in arrival order,
    then finish()."""

    def __init__(self, owner, *, now):
        self.owner, self.now = owner, now
        self.clients = {key(client.name): client for client in Client.objects.filter(owner=owner)}
        self.known = len(self.clients)
        self.followups, self.events, self.closed = [], [], []
        self.answered = 0
        # Open reconnects by the client they are about (their own, or their invitation's: with_client).
        self.reconnects = defaultdict(list)
        for followup in FollowUp.objects.filter(owner=owner).reconnects().open().annotate(
                about=F("invitation__client_id")):
            for client_id in {followup.client_id, followup.about} - {None}:
                self.reconnects[client_id].append(followup)

    @property
    def new_clients(self):
        return len(self.clients) - self.known

    def add(self, line):
        """Log (and answer) one planned line, as log_invitation and respond would."""
        values, invitation = line.values, line.invitation
        invitation.client = self._party(line, values["client"], company=values["company"], email=values["email"],
                                        phone=values["phone"], platform=invitation.platform)
        invitation.referred_by = self._party(line, values["referred_by"]) if values["referred_by"].strip() else None
        self._contact(invitation.client, at=invitation.received_at, done_at=self.now, note=ARRIVAL_NOTE)
        answer = None
        if (values["status"] or Status.OPEN) != Status.OPEN:
            at = answered_at(values, invitation)
            answer = (at, *recorded(invitation, reply_for(values), now=at))
        try:
            invitation.save()
        except ValidationError as exc:
            raise ImportRefused(line.line, exc.message_dict)
        reply = new_followup(self.owner, FollowUpKind.REPLY, now=self.now, due_at=invitation.reply_by,
                             invitation=invitation)
        self.followups.append(reply)
        if answer is not None:
            self._answer(invitation, reply, *answer)

    def _answer(self, invitation, reply, at, channel, text, event):
        """What respond() does after saving a first answer: the reply closed, what it owes opened,
        the contact rule."""
        self.answered += 1
        self.events.append(event)
        reply.done_at = at
        for kind, details in owed(invitation, channel, now=at):
            followup = new_followup(self.owner, kind, now=at, invitation=invitation, **details)
            self.followups.append(followup)
            if kind == FollowUpKind.RECONNECT:
                self.reconnects[invitation.client.pk].append(followup)
        if invitation.status != Status.WITHDRAWN:
            self._contact(invitation.client, at=at, done_at=at, channel=channel, note=answered_note(invitation),
                          besides=invitation)

    def _party(self, line, name, **details):
        """The client of that name (any case): one of the user's, one made by an earlier line, or a new one saved."""
        client = self.clients.get(key(name))
        if client is None:
            errors = {}
            client = new_client(self.owner, name, errors=errors, **details)
            if errors:  # checked by the plan; the data changed since
                raise ImportRefused(line.line, errors)
            client = self.clients[key(name)] = save_new_client(client)
        return client

    def _contact(self, client, *, at, done_at, note, channel="", besides=None):
        """reconnects.contact_made over the reconnects held: those a contact at `at` makes moot are closed."""
        still_open = []
        for followup in self.reconnects.get(client.pk, ()):
            if makes_moot(followup, at) and (besides is None or followup.invitation_id != besides.pk):
                followup.done_at, followup.done_channel, followup.done_note = done_at, channel, note
                if followup.pk is not None:
                    self.closed.append(followup)
            elif followup.done_at is None:
                still_open.append(followup)
        self.reconnects[client.pk] = still_open

    def finish(self):
        """Write what the lines made: the follow-ups and answers in bulk, the user's reconnects closed."""
        FollowUp.objects.bulk_create(self.followups, batch_size=BATCH)
        AnswerEvent.objects.bulk_create(self.events, batch_size=BATCH)
        FollowUp.objects.bulk_update(self.closed, ["done_at", "done_channel", "done_note"], batch_size=BATCH)
