"""The reconnect page and contacts on the client page: the promise made at a decline, kept."""

import datetime as dt

import pytest
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind
from tests.support.pages import page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def invitation(alice):
    return log_invitation(alice, now=NOW, client="Maya Lindqvist", email="maya@example.com", title="Django API",
                          platform="direct")


def reconnect_of(invitation):
    return FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT)


def test_logging_a_contact_on_the_client_page_closes_a_due_reconnect(alice_in, invitation):
    respond(invitation, now=NOW, action="decline", busy_until=dt.date(2026, 11, 23))
    url = reverse("client_detail", args=[invitation.client.pk])

    response = alice_in.post(url, {"channel": "phone", "note": "Called; they will write in January."},
                                 follow=True)

    assert "1 reconnect reminder closed" in page(response)  # a proper plural (issue 19, item 10)
    assert reconnect_of(invitation).done_at == NOW


def test_logging_a_contact_needs_a_note(alice_in, invitation, unchanged):
    with unchanged():
        response = alice_in.post(reverse("client_detail", args=[invitation.client.pk]),
                                     {"channel": "phone", "note": ""})
    assert response.context["form"].errors["note"]


def test_reconnect_page_drafts_the_message_and_marks_it_done(alice_in, invitation):
    respond(invitation, now=NOW, action="decline", busy_until=dt.date(2026, 12, 14), channel="email")
    reconnect = reconnect_of(invitation)
    url = reverse("reconnect", args=[reconnect.pk])

    text = page(alice_in.get(url))
    # No claim that a project has finished (issue 19, item 5): the promise, and the question.
    assert "said I'd get back in touch after that." in text
    assert "Is your need still open, or is there something new I could help with?" in text
    assert "booked until 14 December 2026" in text
    assert "mailto:maya@example.com?subject=Checking%20in%3A%20Django%20API" in text
    assert "Talking points" in page(alice_in.get(url, {"channel": "phone"}))

    response = alice_in.post(url, {"channel": "email", "note": "Still open; call on Monday."})
    assert response["Location"] == reverse("client_detail", args=[invitation.client.pk])
    reconnect.refresh_from_db()
    assert (reconnect.done_at, reconnect.done_channel, reconnect.done_note) == (
        NOW, "email", "Still open; call on Monday.",
    )


def test_reconnect_page_requires_how(alice_in, invitation, unchanged):
    respond(invitation, now=NOW, action="decline", busy_until=dt.date(2026, 12, 14))
    with unchanged():
        response = alice_in.post(reverse("reconnect", args=[reconnect_of(invitation).pk]), {"channel": ""})
    assert response.context["form"].errors["channel"]


def test_dashboard_lists_due_reconnects_only(alice_in, alice):
    other = log_invitation(alice, now=NOW, client="Tom Okafor", title="Later")
    respond(other, now=NOW, action="decline", busy_until=dt.date(2026, 12, 30))
    early = log_invitation(alice, now=NOW - 30 * 24 * HOUR, client="Sofia Reyes", title="Earlier",
                           received_at=NOW - 30 * 24 * HOUR)
    respond(early, now=NOW - 29 * 24 * HOUR, action="decline", busy_until=dt.date(2026, 11, 19))

    text = page(alice_in.get(reverse("dashboard")))

    start = text.index('id="needs-reconnects"')
    section = text[start:text.index('id="needs-followups"')]
    assert "Sofia Reyes" in section and "Tom Okafor" not in section
    assert reverse("reconnect", args=[reconnect_of(early).pk]) in text
