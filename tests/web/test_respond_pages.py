"""The invitation and respond pages: thin over the domain, owner-only, usable without JS."""

import datetime as dt

import pytest
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.models import Status
from tests.support.answer_pages import (  # noqa: F401  (fixtures)
    HOUR,
    NOW,
    UTC,
    alice_client,
    form_data,
    frozen,
    invitation,
    page,
    reconnect_of,
    send,
)

pytestmark = pytest.mark.django_db


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
