"""The invitation, respond, client and reconnect pages: thin over the domain, owner-only, usable without JS."""

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.answers.withdrawals import withdraw
from invitations.followups.history import client_history
from invitations.followups.reconnects import log_contact
from invitations.intake.log import log_invitation
from invitations.models import Client, FollowUp, FollowUpKind, Invitation, Status

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alice_client(client, alice):
    alice.profile.signature = "Alice Example"
    alice.profile.save()
    client.force_login(alice)
    return client


@pytest.fixture
def invitation(alice):
    return log_invitation(
        alice, now=NOW, client="Maya Lindqvist", email="maya@example.com", title="Django API", platform="direct",
    )


def page(response):
    return html.unescape(response.content.decode())


def form_data(**overrides):
    data = {"action": "decline", "reason": "", "busy_until": "", "busy_for": "", "suggest": "",
            "interview_at": "", "channel": "email", "message": ""}
    return {**data, **overrides}


def send(client, invitation, **data):
    """Say the saved answer went out ("I sent it"): saving alone sends nothing (issue 19, item 2)."""
    return client.post(reverse("answer_sent", args=[invitation.pk]), data)


def reconnect_of(invitation):
    return FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT)


@pytest.mark.parametrize("name", ["invitation_detail", "respond", "client_detail", "reconnect"])
def test_login_required(client, name):
    response = client.get(reverse(name, args=[1]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_users_rows_are_not_found(client, bob, invitation, now):
    respond(invitation, now=now, action="decline", busy_until=dt.date(2026, 12, 14))
    client.force_login(bob)
    for name, pk in [("invitation_detail", invitation.pk), ("respond", invitation.pk),
                     ("client_detail", invitation.client.pk), ("reconnect", reconnect_of(invitation).pk)]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
        assert client.post(reverse(name, args=[pk]), form_data()).status_code == 404


def test_respond_page_opens_with_a_draft_to_edit(alice_client, invitation):
    text = page(alice_client.get(reverse("respond", args=[invitation.pk])))

    assert "Answer Maya Lindqvist" in text
    assert "Thank you for thinking of me for \"Django API\"." in text
    assert "Subject:" in text  # a direct client is answered by e-mail
    assert 'name="redraft"' in text and "Save answer" in text


def test_draft_message_button_redrafts_without_saving(alice_client, invitation, unchanged):
    with unchanged():
        response = alice_client.post(reverse("respond", args=[invitation.pk]), form_data(
            reason="busy", busy_for="3 weeks", suggest="Sam Rivera", message="old text", redraft="1",
        ))
    text = page(response)
    assert response.status_code == 200
    assert "fully booked until 11 December 2026" in text
    assert "Sam Rivera could be a good fit" in text and "old text" not in text


def test_saving_a_decline_keeps_the_text_and_offers_copy_and_mailto(alice_client, invitation):
    response = alice_client.post(reverse("respond", args=[invitation.pk]), form_data(
        reason="busy", busy_for="3 weeks", message="Hi Maya,\n\nNot this time; busy until 11 December.",
    ))

    assert response.status_code == 302 and response["Location"] == reverse("invitation_detail", args=[invitation.pk])
    send(alice_client, invitation)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.busy_until, invitation.response_channel) == (
        Status.DECLINED, dt.date(2026, 12, 11), "email",
    )
    assert invitation.response_message == "Hi Maya,\n\nNot this time; busy until 11 December."
    assert reconnect_of(invitation).due_at == dt.datetime(2026, 12, 11, 7, tzinfo=UTC)

    text = page(alice_client.get(response["Location"]))
    assert "Not this time; busy until 11 December." in text
    assert 'data-copy="kept-message"' in text
    assert 'href="mailto:maya@example.com?subject=Thank%20you%20for%20the%20invitation%3A%20Django%20API' \
           '&body=Hi%20Maya%2C%0A%0ANot%20this%20time' in text


def test_an_empty_message_keeps_the_draft(alice_client, invitation):
    alice_client.post(reverse("respond", args=[invitation.pk]), form_data(reason="remote"))
    send(alice_client, invitation)

    invitation.refresh_from_db()
    assert "I only work remotely" in invitation.response_message


@pytest.mark.parametrize("data, field, says", [
    ({"busy_for": "0 weeks"}, "busy_for", "'0 weeks' is an empty period"),
    ({"busy_for": "soon"}, "busy_for", "is not a period"),
    ({"busy_until": "2026-11-19"}, "busy_until", "2026-11-19 is in the past"),
    ({"busy_until": "2026-12-01", "busy_for": "2 weeks"}, "busy_for", "not both"),
    ({"reason": "bored"}, "reason", "Select a valid choice"),
    ({"action": "maybe"}, "action", "Select a valid choice"),
    ({"channel": "fax"}, "channel", "Select a valid choice"),
])
def test_bad_input_is_shown_on_its_field_and_nothing_is_written(alice_client, invitation, unchanged, data, field,
                                                                 says):
    with unchanged():
        response = alice_client.post(reverse("respond", args=[invitation.pk]), form_data(**data))
    assert response.status_code == 200
    assert any(says in error for error in response.context["form"].errors[field])
    assert says in page(response)


def test_late_cancellation_is_confirmed_on_the_page(alice_client, invitation, unchanged):
    respond(invitation, now=NOW, action="accept", interview_at=NOW + 5 * HOUR)
    url = reverse("respond", args=[invitation.pk])

    assert "less than a day away" in page(alice_client.get(url))
    with unchanged():
        response = alice_client.post(url, form_data(reason="accepted_other"))
    text = page(response)
    assert "Cancel an interview this late?" in text and "The interview is in 5 hours" in text
    assert 'name="force" value="1"' in text
    assert "sorry to cancel our interview" in text  # the draft shown is the late one

    response = alice_client.post(url, form_data(reason="accepted_other", force="1"))
    assert response.status_code == 302
    send(alice_client, invitation)
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED and "sorry to cancel our interview" in invitation.response_message


def test_accepting_on_the_page_reads_the_interview_time_in_my_zone(alice_client, invitation):
    alice_client.post(reverse("respond", args=[invitation.pk]), form_data(
        action="accept", interview_at="2026-11-24T16:00", reason="rate", busy_for="2 weeks",  # decline-only: ignored
    ))
    send(alice_client, invitation)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.interview_at, invitation.decline_reason) == (
        Status.ACCEPTED, dt.datetime(2026, 11, 24, 15, tzinfo=UTC), "",
    )


def test_platform_warning_for_contact_details(alice_client, invitation):
    response = alice_client.post(reverse("respond", args=[invitation.pk]), form_data(
        channel="platform", message="Email me: me@example.com",
    ), follow=True)
    text = page(response)
    assert "Platform messages must not carry an e-mail address or phone number; remove me@example.com" in text


def test_a_withdrawn_invitation_cannot_be_answered(alice_client, invitation, unchanged):
    respond(invitation, now=NOW, action="withdrawn")
    with unchanged():
        response = alice_client.post(reverse("respond", args=[invitation.pk]), form_data(), follow=True)
    assert "nothing left to answer" in page(response)


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
