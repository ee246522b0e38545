"""The import writes in bulk exactly what logging and answering each line would (docs/design.md, rule 10)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.world import populate
from invitations.answers.respond import respond
from invitations.followups.lifecycle import open_followup
from invitations.imports.apply import import_rows
from invitations.imports.columns import guess_mapping, read
from invitations.imports.plan import answered_at, key, plan, reply_for
from invitations.insights.exports import csv_lines, invitation_rows
from invitations.intake.log import log_invitation
from invitations.models import AnswerEvent, Client, FollowUp, FollowUpKind, Invitation, Status

pytestmark = pytest.mark.django_db
D = dt.timedelta(days=1)


def typed_in(owner, header, rows, mapping, *, now):
    """What typing the lines in would make: log_invitation and respond, one line after another,
    in arrival order (the import before it wrote in bulk)."""
    preview = plan(owner, header, rows, mapping, now=now)
    clients = {key(client.name): client for client in Client.objects.filter(owner=owner)}
    for line in sorted(preview.create, key=lambda line: (line.values["received"] or now, line.line)):
        values = line.values
        referrer = values["referred_by"]
        invitation = log_invitation(
            owner, now=now, client=clients.get(key(values["client"]), values["client"]), company=values["company"],
            email=values["email"], phone=values["phone"], title=values["title"],
            platform=values["platform"] or "direct", received_at=values["received"], reply_by=values["reply_by"],
            url=values["url"], notes=values["notes"], referred_by=clients.get(key(referrer), referrer) if referrer else None,
        )
        for party in (invitation.client, invitation.referred_by):
            if party is not None:
                clients.setdefault(key(party.name), party)
        if (values["status"] or Status.OPEN) != Status.OPEN:
            reply = reply_for(values)
            respond(invitation, now=answered_at(values, invitation), action=reply.action, reason=reply.reason,
                    busy_until=reply.busy_until, channel=reply.channel, message=reply.message,
                    interview_at=reply.interview_at, force=True)


def state(owner):
    """Everything an import writes for `owner`, without ids."""
    def of(invitation):
        return None if invitation is None else (invitation.title, invitation.received_at)

    invitations = sorted(Invitation.objects.filter(owner=owner).values_list(
        "client__name", "client__company", "client__email", "client__phone", "client__platform", "title", "platform",
        "url", "notes", "received_at", "reply_by", "status", "responded_at", "response_channel", "decline_reason",
        "busy_until", "response_message", "referred_by__name", "interview_at", "flagged_at"), key=repr)
    followups = sorted(((of(f.invitation), f.kind, f.client.name if f.client else None, f.due_at, f.done_at,
                         f.done_channel, f.done_note, f.note, f.snoozed_until, f.created_at)
                        for f in FollowUp.objects.filter(owner=owner).select_related("invitation", "client")), key=repr)
    events = sorted(((of(e.invitation), e.at, e.status, e.channel, e.decline_reason, e.message)
                     for e in AnswerEvent.objects.filter(owner=owner).select_related("invitation")), key=repr)
    return invitations, followups, events


def closing_notes(followups):
    """How the closed reconnects among state()'s follow-ups were closed (an answer's note cut to its start)."""
    closed = [row[6] for row in followups if row[1] == FollowUpKind.RECONNECT and row[4] is not None]
    return {note.split(" “")[0] for note in closed}


def a_promise(owner, now):
    """An open reconnect the user had before the import, with a client the file names (Client 6-00000)."""
    client = Client.objects.create(owner=owner, name="client 6-00000")
    invitation = log_invitation(owner, now=now - 200 * D, client=client, title="Before", received_at=now - 200 * D)
    respond(invitation, now=now - 199 * D, action="decline", busy_until=(now - 160 * D).date(), channel="email",
            message="Booked until then; may I reconnect?")


def test_the_bulk_import_writes_what_typing_every_line_in_would(alice, make_user, now):
    populate(alice, 400, now=now, span_days=150)
    text = "".join(csv_lines(invitation_rows(Invitation.objects.filter(owner=alice), alice.profile.zone)))
    header, rows = read(text)
    mapping = guess_mapping(header)
    # One name for both, as the drafts of answers the file gives no message for are signed with it.
    carla, dave = (make_user(name, timezone="Europe/Berlin", display_name="Sam") for name in ("carla", "dave"))
    for owner in (carla, dave):
        a_promise(owner, now)

    done = import_rows(carla, header, rows, mapping, now=now)
    typed_in(dave, header, rows, mapping, now=now)

    assert done.invitations == 400 and done.answered > 300
    invitations, followups, events = state(carla)
    assert (invitations, followups, events) == state(dave)
    # The history exercised the contact rule both ways: reconnects closed by an arrival and by an answer.
    assert {"They sent a new invitation.", "You answered their invitation"} <= closing_notes(followups)
    before = FollowUp.objects.get(owner=carla, invitation__title="Before", kind=FollowUpKind.RECONNECT)
    assert before.done_at is not None  # the user's own promise, closed by an imported contact


def test_the_import_takes_a_few_statements_per_line_and_a_fixed_number_per_batch(alice, make_user, now):
    populate(alice, 120, now=now, span_days=60)
    header, rows = read("".join(csv_lines(invitation_rows(Invitation.objects.filter(owner=alice), alice.profile.zone))))
    carla = make_user("carla", timezone="Europe/Berlin")
    clients = Client.objects.filter(owner=alice).count()

    with CaptureQueriesContext(connection) as counted:
        import_rows(carla, header, rows, guess_mapping(header), now=now)

    # A new client is a savepoint, its INSERT and a release; an invitation its INSERT. The rest
    # is a handful of reads and one INSERT per kind per batch: not a statement per follow-up.
    assert len(counted) <= 120 + 3 * clients + 12, len(counted)


def test_a_reconnect_made_moot_by_an_import_is_closed_as_typing_it_in_would(alice, now):
    client = Client.objects.create(owner=alice, name="Acme")
    promise, _ = open_followup(alice, FollowUpKind.RECONNECT, now=now - 10 * D, due_at=now - 5 * D, client=client)
    header, rows = read(f"client,title,received\nACME,Again,{(now - 6 * D):%Y-%m-%dT%H:%M}Z\n")

    done = import_rows(alice, header, rows, guess_mapping(header), now=now)

    promise.refresh_from_db()
    assert (done.invitations, done.new_clients) == (1, 0)
    assert (promise.done_at, promise.done_note) == (now, "They sent a new invitation.")
