"""/invitations/ and /clients/: searched and filtered from the URL, paged, each row a link, fixed queries."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from bench.world import populate
from invitations.answers.respond import respond
from invitations.intake.log import log_invitation
from invitations.models import Client, Invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
H = dt.timedelta(hours=1)


def page(response):
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_list_links_each_invitation_and_its_client_and_keeps_the_filters_in_the_url(alice_client, alice):
    acme = log_invitation(alice, now=NOW, client="Zoë Crème", title="Django API", received_at=NOW - 30 * H)
    other = log_invitation(alice, now=NOW, client="Nordlight", title="Search", received_at=NOW - H)
    respond(other, now=NOW, action="decline", reason="rate")

    everything = page(alice_client.get(reverse("invitation_list")))
    assert everything.index("Search") < everything.index("Django API")  # newest first
    assert f'href="/invitations/{acme.pk}/"' in everything and f'href="/clients/{acme.client_id}/"' in everything
    assert "overdue" in everything

    found = alice_client.get(reverse("invitation_list"), {"q": "ZOE creme", "status": "open", "overdue": "on"})
    assert [inv.pk for inv in found.context["page"]] == [acme.pk]
    assert 'value="ZOE creme"' in page(found)
    assert 'href="/invitations/export.csv?q=ZOE+creme&amp;status=open&amp;overdue=on"' in page(found)
    declined = alice_client.get(reverse("invitation_list"), {"reason": "rate", "period": "7"})
    assert [inv.pk for inv in declined.context["page"]] == [other.pk]


def test_a_bad_filter_value_is_shown_and_ignored(alice_client, alice, now):
    log_invitation(alice, now=now, client="Acme", received_at=now - H)
    response = alice_client.get(reverse("invitation_list"), {"status": "maybe", "period": "12"})
    assert len(response.context["page"]) == 1
    assert "Select a valid choice" in page(response)


def test_nothing_found_says_so_and_offers_the_way_back(alice_client, alice, now):
    assert "Log the first one" in page(alice_client.get(reverse("invitation_list")))
    log_invitation(alice, now=now, client="Acme", received_at=now - H)
    assert "No invitation matches" in page(alice_client.get(reverse("invitation_list"), {"q": "zzz"}))


@time_machine.travel(NOW, tick=False)
def test_pages_of_fifty_newest_first(alice_client, alice):
    populate(alice, 120, now=NOW, span_days=60)
    first = alice_client.get(reverse("invitation_list"))
    third = alice_client.get(reverse("invitation_list"), {"page": 3})

    assert (len(first.context["page"]), len(third.context["page"])) == (50, 20)
    assert 'href="?page=2"' in page(first)
    newest = Invitation.objects.filter(owner=alice).order_by("-received_at").first()
    assert first.context["page"][0] == newest


@time_machine.travel(NOW, tick=False)
def test_the_csv_of_the_list_is_everything_it_shows_on_every_page(alice_client, alice):
    populate(alice, 120, now=NOW, span_days=400)
    response = alice_client.get(reverse("invitation_export"))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 121 and lines[0].startswith("received,reply by,client")


@time_machine.travel(NOW, tick=False)
def test_the_clients_list_links_each_client_with_its_counts(alice_client, alice):
    log_invitation(alice, now=NOW, client="Acme", received_at=NOW - H)
    log_invitation(alice, now=NOW, client="Acme", received_at=NOW - 2 * H)
    quiet = Client.objects.create(owner=alice, name="Quiet One", company="Hush Ltd")

    text = page(alice_client.get(reverse("client_list")))
    assert "2 invitations" in text and "0 invitations" in text and "no contact yet" in text
    assert f'href="/clients/{quiet.pk}/"' in text
    found = alice_client.get(reverse("client_list"), {"q": "hush"})
    assert [c.pk for c in found.context["page"]] == [quiet.pk]


@pytest.mark.parametrize("name, params", [
    ("invitation_list", {}),
    ("invitation_list", {"q": "project", "status": "declined", "window": "in_time", "period": "365"}),
    ("client_list", {}),
    ("client_list", {"q": "client"}),
])
@time_machine.travel(NOW, tick=False)
def test_queries_do_not_grow_with_rows(alice_client, alice, bob, django_assert_num_queries, name, params):
    populate(alice, 5, now=NOW, span_days=60, seed=1)
    populate(bob, 5, now=NOW, span_days=60, seed=2)
    # session, user, profile (the time zone), the count, the page
    with django_assert_num_queries(5):
        page(alice_client.get(reverse(name), params))
    populate(alice, 495, now=NOW, span_days=60, seed=3)
    with django_assert_num_queries(5):
        page(alice_client.get(reverse(name), params))
