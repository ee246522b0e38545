"""The preview of an import: what would be created, what is here already, and every bad row.

Each row is put through the checks logging and answering make (intake.log.new_client and
invitation_errors, answers.checks.check_answer) without writing anything, so the preview's bad
rows are the ones the import would refuse. An invitation is here already when one of the user's
has its id, or the same client, title and received time; those are left as they are.
"""

from dataclasses import dataclass, field

from invitations.answers.checks import check_answer
from invitations.answers.reply import Reply
from invitations.imports.columns import LABELS
from invitations.imports.values import read_row
from invitations.intake.log import invitation_errors, new_client
from invitations.models import Client, Invitation, Status

ACTION_FOR = {Status.ACCEPTED: "accept", Status.DECLINED: "decline", Status.WITHDRAWN: "withdrawn"}
# The name a domain check gives a field -> the import field it came from.
FROM_DOMAIN = {"received_at": "received", "action": "status", "referred_by": "referred_by"}


@dataclass(frozen=True)
class Bad:
    line: int  # in the file, the header being line 1
    column: str  # the file's own column name, or what noghost calls the field
    reason: str


@dataclass
class Line:
    line: int
    values: dict
    matched: str = ""  # why it is here already ("same id", "same client, title and received"), or new
    # The invitation as checked, defaults applied, unsaved and without its parties: the import saves it.
    invitation: Invitation | None = field(default=None, repr=False, compare=False)


@dataclass
class Plan:
    create: list = field(default_factory=list)
    matched: list = field(default_factory=list)
    bad: list = field(default_factory=list)
    new_clients: list = field(default_factory=list)
    known_clients: list = field(default_factory=list)

    @property
    def bad_lines(self):
        """How many rows have a problem (a row may have several)."""
        return len({bad.line for bad in self.bad})


def key(name):
    return name.strip().casefold()


def plan(owner, header, rows, mapping, *, now):
    """The Plan for `rows` (lists of cells under `header`) read through `mapping` ({field: column})."""
    columns = {field: header.index(column) for field, column in mapping.items() if column}
    planner = _Planner(owner, now=now)
    for number, cells in enumerate(rows, start=2):
        planner.add(number, {field: cells[i] for field, i in columns.items()}, mapping)
    return planner.finish()


class _Planner:
    """The state a plan is built with: the user's clients and invitations (read once) and the
    file's new client names and invitations so far."""

    def __init__(self, owner, *, now):
        self.owner, self.now, self.zone = owner, now, owner.profile.zone
        self.here = _already_here(owner)
        self.clients = {key(client.name): client for client in Client.objects.filter(owner=owner)}
        self.new_names, self.seen, self.result = {}, set(), Plan()

    def add(self, number, cells, mapping):
        values, problems = read_row(cells, self.zone)
        invitation = None
        if not problems:
            problems, invitation = _domain_problems(self.owner, values, self._is_new, now=self.now)
        if problems:
            self.result.bad.extend(Bad(number, mapping.get(f) or LABELS.get(f, f), why) for f, why in problems.items())
            return
        line = Line(number, values, matched=_match(values, self.here, self.seen), invitation=invitation)
        (self.result.matched if line.matched else self.result.create).append(line)
        if not line.matched:
            for name in filter(None, (values["client"], values["referred_by"])):
                if key(name) not in self.clients:
                    self.new_names.setdefault(key(name), name)

    def _is_new(self, name):
        """A name no client of the user's nor an earlier good line has: its details need checking."""
        return key(name) not in self.clients and key(name) not in self.new_names

    def finish(self):
        result = self.result
        result.new_clients = sorted(self.new_names.values(), key=str.casefold)
        used = {key(line.values[f]) for line in result.create + result.matched for f in ("client", "referred_by")}
        result.known_clients = sorted((c.name for k, c in self.clients.items() if k in used), key=str.casefold)
        return result


def _already_here(owner):
    """The owner's invitation ids, and their (client, title, received) keys: one query."""
    rows = Invitation.objects.filter(owner=owner).values_list("pk", "client__name", "title", "received_at")
    ids, keys = set(), set()
    for pk, name, title, received in rows.iterator(chunk_size=5000):
        ids.add(pk)
        keys.add((key(name), title.strip(), received))
    return ids, keys


def _match(values, here, seen):
    ids, keys = here
    if values["id"] in ids:
        return "same id"
    this = (key(values["client"]), values["title"].strip(), values["received"])
    if values["received"] and this in keys:
        return "same client, title and received time"
    if values["received"] and this in seen:
        return "the same invitation as an earlier line"
    seen.add(this)
    return ""


def _domain_problems(owner, values, is_new, *, now):
    """({field: reason} from the checks logging and answering would make, the invitation checked),
    writing nothing."""
    errors = _party_errors(owner, values, is_new)
    invitation = Invitation(
        owner=owner, title=values["title"], platform=values["platform"] or "direct", received_at=values["received"],
        reply_by=values["reply_by"], url=values["url"], notes=values["notes"],
        client=Client(owner=owner, name=values["client"].strip()),  # unsaved: the answer's checks draft to it
    )
    errors.update(invitation_errors(invitation, now=now, exclude=["owner", "client", "referred_by"]))
    if (values["status"] or Status.OPEN) != Status.OPEN and not errors:
        errors.update(check_answer(invitation, reply_for(values), now=answered_at(values, invitation)))
    return {FROM_DOMAIN.get(name, name): " ".join(messages) for name, messages in errors.items()}, invitation


def _party_errors(owner, values, is_new):
    """A new client (and a new referrer) checked as logging would make them; a known one needs nothing.
    (The user's clients were read once: a name not among them is new, and needs no look-up.)"""
    errors = {}
    if not values["client"].strip() or is_new(values["client"]):
        new_client(owner, values["client"], errors=errors, company=values["company"], email=values["email"],
                   phone=values["phone"])
    if values["referred_by"].strip() and is_new(values["referred_by"]):
        new_client(owner, values["referred_by"], errors=errors, field="referred_by")
    return errors


def reply_for(values):
    """The row's answer as respond() takes it."""
    return Reply(
        action=ACTION_FOR[values["status"]], reason=values["reason"], busy_until=values["busy_until"],
        channel=values["channel"], message=values["message"], interview_at=values["interview_at"],
    )


def answered_at(values, invitation):
    """When the answer was given: its own time, else (a file that does not say) when the invitation arrived."""
    return values["responded"] or invitation.received_at
