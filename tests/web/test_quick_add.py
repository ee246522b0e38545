"""The quick-add page: log in, type an invitation, see it on the dashboard."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from invitations.models import Client, FollowUp, Invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_login_required(client):
    response = client.get(reverse("quick_add"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_offers_only_my_clients(alice_client, alice, bob):
    Client.objects.create(owner=alice, name="Alice's Acme")
    Client.objects.create(owner=bob, name="Bob's Globex")

    page = alice_client.get(reverse("quick_add")).content.decode()

    assert "Alice&#x27;s Acme" in page
    assert "Globex" not in page


@time_machine.travel(NOW, tick=False)
def test_logs_an_invitation_and_shows_it_on_the_dashboard(alice_client, alice):
    response = alice_client.post(
        reverse("quick_add"),
        {"client": "Acme", "title": "Django API", "platform": "upwork", "received_at": "", "reply_by": ""},
        follow=True,
    )

    invitation = Invitation.objects.get(owner=alice)
    assert invitation.reply_by == NOW + dt.timedelta(hours=24)
    assert FollowUp.objects.filter(invitation=invitation, kind="reply", done_at=None).exists()
    page = response.content.decode()
    assert "Logged Django API from Acme" in page
    assert "Reply by Sat 21 Nov, 10:00" in page  # shown in alice's zone, Europe/Berlin


@time_machine.travel(NOW, tick=False)
def test_typed_times_are_in_the_users_zone(alice_client, alice):
    alice_client.post(
        reverse("quick_add"),
        {"client": "Acme", "platform": "direct", "received_at": "2026-11-20T08:00", "reply_by": "2026-11-20T18:00"},
    )

    invitation = Invitation.objects.get()
    assert invitation.received_at == dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.timezone.utc)
    assert invitation.reply_by == dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.timezone.utc)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"client": ""}, "client", "This field is required."),
        ({"client": "   "}, "client", "This field is required."),
        ({"client": "Acme", "reply_by": "2026-11-19T08:00", "received_at": "2026-11-20T08:00"}, "reply_by",
         "Reply-by is before the invitation was received."),
        ({"client": "Acme", "received_at": "not a date"}, "received_at", "Enter a valid date/time."),
        ({"client": "Acme", "platform": "myspace"}, "platform", "Select a valid choice."),
        ({"client": "Acme", "title": "t" * 201}, "title", "Ensure this value has at most 200 characters"),
        ({"client": "Acme", "received_at": "2026-12-24T10:00"}, "received_at", "Received is in the future"),
    ],
)
def test_bad_input_shows_a_form_error_and_writes_nothing(alice_client, unchanged, data, field, message):
    data = {"platform": "upwork", **data}
    with unchanged():
        response = alice_client.post(reverse("quick_add"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
