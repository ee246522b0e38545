"""The calendar's address on /settings/: made on request, replaced by a button that kills the old one."""

import pytest
from django.urls import reverse

from invitations.models import CalendarFeed

pytestmark = pytest.mark.django_db


def test_the_address_is_made_on_request_and_replaced_with_a_button(alice_client, alice):
    before = alice_client.get(reverse("settings")).content.decode()
    assert "Make my calendar address" in before and not CalendarFeed.objects.exists()  # a GET writes nothing

    made = alice_client.post(reverse("calendar_token"))
    assert made.status_code == 302 and made["Location"] == reverse("settings") + "#calendar"
    first = CalendarFeed.objects.get(owner=alice).token
    shown = alice_client.get(reverse("settings")).content.decode()
    assert f"https://noghost.test/calendar/{first}.ics" in shown and "Replace the address" in shown

    alice_client.post(reverse("calendar_token"))
    second = CalendarFeed.objects.get(owner=alice).token
    assert second != first
    assert alice_client.get(reverse("calendar_feed", kwargs={"token": first})).status_code == 404
    assert alice_client.get(reverse("calendar_feed", kwargs={"token": second})).status_code == 200


def test_replacing_needs_a_login_and_a_post(client, alice_client):
    assert alice_client.get(reverse("calendar_token")).status_code == 405
    client.logout()
    assert client.post(reverse("calendar_token")).status_code == 302
    assert not CalendarFeed.objects.exists()
