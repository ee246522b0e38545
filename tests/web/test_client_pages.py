"""The client and reconnect pages: the whole story with a client, contacts, reconnecting."""


import datetime as dt

import pytest
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.answers.withdrawals import withdraw
from invitations.followups.history import client_history
from invitations.followups.reconnects import log_contact
from invitations.intake.log import log_invitation
from invitations.models import Client, Invitation
from tests.support.answer_pages import HOUR, NOW, UTC, alice_client, form_data, frozen, invitation, page, reconnect_of  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db




def test_client_page_tells_the_whole_story_in_time_order(alice_client, alice, invitation):
    jonas = Client.objects.create(owner=alice, name="Jonas Weber")
    respond(invitation, now=NOW + HOUR, action="decline", busy_until=dt.date(2026, 12, 14), channel="phone")
    referred = log_invitation(alice, now=NOW + 2 * HOUR, client="Tom Okafor", referred_by=jonas,
                              title="Billing")
    log_contact(invitation.client, now=NOW + 3 * HOUR, channel="email", note="Sent the written confirmation.")

    text = page(alice_client.get(reverse("client_detail", args=[invitation.client.pk])))
    order = ["Invitation: Django API", "You declined (busy", "In touch (e-mail)", "Due: reconnect after the busy period"]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert "Confirm the call in writing" in text  # still to do

    jonas_page = page(alice_client.get(reverse("client_detail", args=[jonas.pk])))
    assert "Referred Tom Okafor to you" in jonas_page
    assert "Referred to you" in jonas_page
    tom_page = page(alice_client.get(reverse("client_detail", args=[referred.client.pk])))
    assert "via Jonas Weber" in tom_page


def answered_events(client):
    return [(event.at, event.title, event.detail) for event in client_history(client)[0] if event.kind == "answered"]


def test_accepted_then_declined_tells_both_answers_each_at_its_own_time(alice_client, invitation):
    respond(invitation, now=NOW + HOUR, action="accept", channel="email", message="Yes, gladly.")
    respond(invitation, now=NOW + 5 * HOUR, action="decline", reason="accepted_other", channel="email",
            message="Sorry, I have to take that back.")

    assert answered_events(invitation.client) == [
        (NOW + HOUR, "You accepted", "Yes, gladly."),
        (NOW + 5 * HOUR, "You declined (accepted another offer)", "Sorry, I have to take that back."),
    ]
    text = page(alice_client.get(reverse("client_detail", args=[invitation.client.pk])))
    # Berlin (UTC+1): accepted at 11:00, declined at 15:00, in that order.
    assert text.index("20 Nov 2026, 11:00") < text.index("You accepted") < text.index("20 Nov 2026, 15:00") \
        < text.index("You declined (accepted another offer)")
    detail = page(alice_client.get(reverse("invitation_detail", args=[invitation.pk])))
    # The status is dated by the decline, not by the first answer.
    assert "Declined</span> <span class=\"muted\">Fri 20 Nov, 15:00" in detail


def test_withdrawals_are_told_when_they_happened(alice, invitation):
    respond(invitation, now=NOW + HOUR, action="accept")
    respond(invitation, now=NOW + 3 * HOUR, action="withdrawn")
    other = log_invitation(alice, now=NOW, client="Maya Lindqvist", title="Billing")
    withdraw(Invitation.objects.filter(pk=other.pk), now=NOW + 4 * HOUR)

    assert [(at, title) for at, title, _ in answered_events(invitation.client)] == [
        (NOW + HOUR, "You accepted"),
        (NOW + 3 * HOUR, "The client withdrew the invitation"),
        (NOW + 4 * HOUR, "The client withdrew the invitation"),
    ]


def test_client_page_query_count_does_not_grow_with_history(alice_client, alice, django_assert_num_queries):
    def build(client_name, count):
        for i in range(count):
            inv = log_invitation(alice, now=NOW, client=client_name, title=f"Job {i}", referred_by="Jonas")
            respond(inv, now=NOW, action="decline", busy_until=dt.date(2026, 12, 14), channel="phone")
        return Client.objects.get(owner=alice, name=client_name)

    few, many = build("Few", 1), build("Many", 12)
    url = lambda c: reverse("client_detail", args=[c.pk])  # noqa: E731
    alice_client.get(url(few))  # warm up the session
    with django_assert_num_queries(8) as few_queries:
        alice_client.get(url(few))
    with django_assert_num_queries(len(few_queries.captured_queries)):
        response = alice_client.get(url(many))
    assert page(response).count("Invitation: Job") == 12
