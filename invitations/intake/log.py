"""Logging an invitation (docs/design.md, rule 1): one place for the form, the admin, the CLI and imports.

Logging sets `reply_by` (received + the user's reply window unless given) and opens a `reply`
follow-up due then; move_reply_by() keeps that follow-up and the sweep's flag in step when the
deadline is edited later. Bad input raises ValidationError naming each field; nothing is written.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from invitations.followups.lifecycle import open_followup
from invitations.followups.reconnects import contact_made
from invitations.models import Client, FollowUp, FollowUpKind, Invitation, Status
from invitations.text import text_errors, text_problem

# An invitation can be logged from the past, never from the future: a little slack for clocks.
FUTURE_SLACK = dt.timedelta(minutes=10)
# Nothing before 2000 (a mistyped year, and far from any date arithmetic's edge), and an answer
# due at most a year after the invitation arrived.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
LONGEST_WAIT = dt.timedelta(days=366)

# Client model field -> the name the user typed it under (form field, --option).
CLIENT_FIELDS = {"name": "client", "company": "company", "email": "email", "phone": "phone"}
ARRIVAL_NOTE = "They sent a new invitation."  # how the contact rule records a reconnect a new invitation made moot


def check_dates(received_at, reply_by, *, now):
    """Errors, by field, for an invitation's times (shared by the domain and the admin form)."""
    errors = {}
    if received_at:
        errors.update(_received_at_errors(received_at, now=now))
        if reply_by:
            errors.update(_reply_by_errors(received_at, reply_by))
    return errors


def _received_at_errors(received_at, *, now):
    """An arrival far in the past is a mistyped year; one in the future has not happened yet."""
    if received_at < EARLIEST:
        return {"received_at": ["Received is before the year 2000; check the year."]}
    if received_at > now + FUTURE_SLACK:
        return {"received_at": ["Received is in the future; give when the invitation arrived."]}
    return {}


def _reply_by_errors(received_at, reply_by):
    """A deadline is due after the invitation arrived, and within a year of it."""
    if reply_by < received_at:
        return {"reply_by": ["Reply-by is before the invitation was received."]}
    if reply_by - received_at > LONGEST_WAIT:
        return {"reply_by": ["Reply-by is more than a year after the invitation was received."]}
    return {}


def find_client(owner, name):
    """The owner's client of that name, ignoring case, or None.

    Unordered: the unique (Lower(name), owner) constraint leaves at most one, and ordering the
    look-up every logged invitation makes cost more to build than to run.
    """
    return next(iter(Client.objects.filter(owner=owner, name__iexact=name.strip()).order_by()[:1]), None)


def client_for(owner, name, *, errors, field="client", **details):
    """The owner's client named `name` (reused, ignoring case) or a new, unsaved one.

    Problems are added to `errors` under the names the user typed them in.
    """
    name = _client_name(name, errors=errors, field=field)
    if name is None:
        return None
    return find_client(owner, name) or new_client(owner, name, errors=errors, field=field, **details)


def new_client(owner, name, *, errors, field="client", **details):
    """A new, unsaved client named `name`, its name and details checked (problems added to `errors`).

    client_for makes one when the look-up finds none; an import, which reads the owner's clients
    once, makes one for each name it did not find there.
    """
    name = _client_name(name, errors=errors, field=field)
    if name is None:
        return None
    client = Client(owner=owner, name=name, **details)
    problems = text_errors(client)
    try:
        client.full_clean(exclude=["owner", *problems], validate_constraints=False)
    except ValidationError as exc:
        problems = {**exc.message_dict, **problems}
    for model_field, messages in problems.items():
        key = field if model_field == "name" else CLIENT_FIELDS.get(model_field, model_field)
        errors.setdefault(key, []).extend(messages)
    return client


def _client_name(name, *, errors, field):
    """`name` stripped, or None (the problem added to `errors`): checked before any look-up, as
    PostgreSQL refuses a NUL even as a parameter."""
    name = (name or "").strip()
    problem = text_problem(name) if name else "Give a name (a person or a company)."
    if problem:
        errors.setdefault(field, []).append(problem)
        return None
    return name


def save_new_client(client):
    """Save a client that was new when looked up, or reuse the twin a concurrent request saved since.

    The unique (Lower(name), owner) constraint decides the race: the loser's INSERT fails inside
    a savepoint (the caller's transaction stays usable) and the read after it sees the winner's row.
    """
    if client is None or client.pk is not None:
        return client
    try:
        with transaction.atomic():
            client.save()
        return client
    except IntegrityError:
        twin = find_client(client.owner, client.name)
        if twin is None:
            raise
        return twin


def invitation_errors(invitation, *, now, exclude=()):
    """Apply the defaults to an unsaved invitation and return its problems, by field."""
    if invitation.received_at is None:
        invitation.received_at = now
    errors = check_dates(invitation.received_at, invitation.reply_by, now=now)
    if "received_at" in errors:
        exclude = [*exclude, "reply_by"]  # no default deadline from an impossible arrival
    elif invitation.reply_by is None:
        window = dt.timedelta(hours=invitation.owner.profile.reply_window_hours)
        invitation.reply_by = invitation.received_at + window
    errors = {**text_errors(invitation), **errors}
    try:
        # Its one check constraint (reply-by not before received) is check_dates' first rule, said
        # better there; validating it again would cost a query per invitation (an import logs 10,000).
        invitation.full_clean(exclude=[*errors, *exclude], validate_constraints=False)
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    return errors


def record_invitation(invitation, *, now):
    """Validate, save and open the `reply` follow-up, in one transaction.

    A new invitation is a contact with its client: reconnects it makes moot are closed.

    `invitation` is unsaved, with owner and a saved client set (the admin's path); the other
    ways in go through `log_invitation`, which checks it with its parties and saves it through
    _save_and_open (validating it twice cost five queries a capture).
    """
    errors = invitation_errors(invitation, now=now)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _save_and_open(invitation, now=now)


def _save_and_open(invitation, *, now, new_client=False):
    """Save a checked invitation, open its `reply` follow-up and apply the contact rule (the caller
    holds the transaction).

    A client saved by this same call has no follow-ups yet, so the contact rule has nothing to
    close for it and is not asked.
    """
    invitation.save()
    open_followup(invitation.owner, FollowUpKind.REPLY, now=now, due_at=invitation.reply_by, invitation=invitation,
                  fresh=True)
    if not new_client:
        contact_made(invitation.client, now=now, at=invitation.received_at, note=ARRIVAL_NOTE)
    return invitation


def log_invitation(
    owner, *, now, client, company="", email="", phone="", title="", platform="direct", received_at=None,
    reply_by=None, url="", referred_by=None, notes="", language="",
):
    """Log an invitation from `client` (a Client of owner's, or a name to find or create).

    `referred_by` is likewise a Client or a name; `language`, a new client's (empty: the owner's).
    Returns the saved Invitation.
    """
    errors = {}
    client = _party(owner, client, errors=errors, company=company, email=email, phone=phone, platform=platform,
                    language=language)
    referred_by = _referrer(owner, referred_by, client, errors=errors)

    invitation = Invitation(
        owner=owner, title=title, platform=platform, received_at=received_at, reply_by=reply_by,
        url=url, notes=notes,
    )
    # Every problem is named at once: the parties' and the invitation's own.
    errors = {**invitation_errors(invitation, now=now, exclude=["owner", "client", "referred_by"]), **errors}
    if errors:
        raise ValidationError(errors)
    new_client = client.pk is None
    with transaction.atomic():  # one savepoint when the caller holds a transaction: the writes go together
        invitation.client = save_new_client(client)
        invitation.referred_by = save_new_client(referred_by)
        # Checked above, parties and all: not twice. A twin found by save_new_client is not new.
        return _save_and_open(invitation, now=now, new_client=new_client and invitation.client is client)


def _party(owner, client, *, errors, **details):
    """`client` as a Client: one given must be the owner's own; a name is found or made (client_for)."""
    if not isinstance(client, Client):
        return client_for(owner, client, errors=errors, **details)
    if client.owner_id != owner.pk:
        errors["client"] = ["Pick one of your own clients."]
    return client


SELF_REFERRAL = "A client cannot refer themselves: leave Referred by empty, or name who introduced you."


def _referrer(owner, referred_by, client, *, errors):
    """`referred_by` as a Client or None; never the client itself (SELF_REFERRAL)."""
    if isinstance(referred_by, str):
        if not referred_by.strip():
            return None
        referred_by = client_for(owner, referred_by, errors=errors, field="referred_by")
    elif referred_by is not None and referred_by.owner_id != owner.pk:
        errors["referred_by"] = ["Pick one of your own clients."]
    if same_party(referred_by, client):
        errors.setdefault("referred_by", []).append(SELF_REFERRAL)
    return referred_by


def same_party(one, other):
    """The same client: the same row, or two new ones of one name (any case)."""
    if one is None or other is None:
        return False
    if one.pk is not None or other.pk is not None:
        return one.pk == other.pk
    return one.name.strip().lower() == other.name.strip().lower()


def move_reply_by(invitation, reply_by, *, now):
    """Give a saved invitation a new reply-by: its open `reply` follow-up falls due then, and an open
    invitation whose new deadline is still ahead is unflagged, so the sweep guards (and nudges) anew.

    A deadline moved into the past keeps its flag: the user was told about that one already.
    """
    errors = check_dates(invitation.received_at, reply_by, now=now)
    if errors:
        raise ValidationError(errors)
    invitation.reply_by = reply_by
    fields = ["reply_by", "updated_at"]
    if reply_by > now and invitation.status == Status.OPEN:
        invitation.flagged_at = None
        fields.append("flagged_at")
    with transaction.atomic():
        invitation.save(update_fields=fields)
        FollowUp.objects.filter(invitation=invitation, kind=FollowUpKind.REPLY, done_at=None).update(due_at=reply_by)
    return invitation
