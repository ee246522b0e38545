"""The lists' questions: each filter, the clients' counts, last contact and next reconnect."""

import datetime as dt

import pytest

from invitations.answers.respond import respond
from invitations.followups.reconnects import log_contact
from invitations.intake.log import log_invitation
from invitations.models import Client
from invitations.workspace.lists import ClientFilters, InvitationFilters, clients, invitations

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


@pytest.fixture
def world(alice, bob, now):
    def log(title, client="Acme", ago=H, **kwargs):
        return log_invitation(alice, now=now, client=client, title=title, received_at=now - ago, **kwargs)

    log("open in time", platform="upwork")
    log("overdue", ago=2 * D, platform="upwork")
    respond(log("in time", ago=3 * D, platform="fiverr"), now=now - 3 * D + H, action="accept")
    respond(log("late", client="Nordlight", ago=40 * D), now=now - 38 * D, action="decline", reason="rate")
    respond(log("busy", client="Nordlight", ago=100 * D), now=now - 100 * D + H, action="decline",
            busy_until=(now + 5 * D).date())
    log_invitation(bob, now=now, client="Acme", title="bob's", received_at=now - H)


def titles(alice, now, **filters):
    return [inv.title for inv in invitations(alice, InvitationFilters(**filters), now=now)]


@pytest.mark.parametrize("filters, expected", [
    ({}, ["open in time", "overdue", "in time", "late", "busy"]),  # newest first
    ({"status": "open"}, ["open in time", "overdue"]),
    ({"platform": "upwork"}, ["open in time", "overdue"]),
    ({"overdue": True}, ["overdue"]),
    ({"window": "in_time"}, ["in time", "busy"]),
    ({"window": "late"}, ["late"]),
    ({"reason": "rate"}, ["late"]),
    ({"reason": "busy"}, ["busy"]),  # a stated busy period makes the reason "busy"
    ({"period": 30}, ["open in time", "overdue", "in time"]),
    ({"period": 90, "status": "declined"}, ["late"]),
    ({"q": "nordlight", "reason": "rate"}, ["late"]),
])
def test_each_filter_narrows_the_list(alice, world, now, filters, expected):
    assert titles(alice, now, **filters) == expected


def test_clients_say_how_many_invitations_the_last_contact_and_the_next_reconnect(alice, world, now):
    acme, nordlight = clients(alice, ClientFilters())

    assert (acme.name, acme.invitation_count, acme.next_reconnect) == ("Acme", 3, None)
    assert acme.last_contact == now - H  # the newest invitation from them
    assert (nordlight.name, nordlight.invitation_count) == ("Nordlight", 2)
    assert nordlight.last_contact == now - 38 * D  # the late answer
    assert nordlight.next_reconnect is not None and nordlight.next_reconnect > now


def test_a_logged_contact_is_the_last_contact_and_a_client_without_any_has_none(alice, world, now):
    nordlight = Client.objects.get(owner=alice, name="Nordlight")
    log_contact(nordlight, now=now - D, channel="phone", note="Caught up")
    Client.objects.create(owner=alice, name="Zed Nobody")

    listed = {client.name: client for client in clients(alice, ClientFilters())}

    assert listed["Nordlight"].last_contact == now - D
    assert (listed["Zed Nobody"].invitation_count, listed["Zed Nobody"].last_contact) == (None, None)


def test_clients_are_searched_and_filtered_and_only_the_owners(alice, bob, world):
    Client.objects.filter(owner=alice, name="Acme").update(platform="upwork")

    assert [c.name for c in clients(alice, ClientFilters(q="nord"))] == ["Nordlight"]
    assert [c.name for c in clients(alice, ClientFilters(platform="upwork"))] == ["Acme"]
    assert [c.invitation_count for c in clients(bob, ClientFilters())] == [1]
