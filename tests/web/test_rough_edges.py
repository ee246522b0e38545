"""Smaller things a new user met (issue 19, items 7, 10 and 12): the user's own name in drafts
and greetings, one name for an untitled invitation, plurals, self-referrals, the reply
window's bound, the referrer's drafted message, and the favicon."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.intake.log import log_invitation
from invitations.models import UNTITLED, FollowUp, FollowUpKind
from invitations.reminders.digests import send_due_digests
from invitations.reminders.sweep import sweep
from tests.support.pages import page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
H = dt.timedelta(hours=1)


SETTINGS = {"timezone": "Europe/Berlin", "digest_hour": "8", "reply_window_hours": "24", "digest_enabled": "on",
            "nudges_enabled": "on"}


def test_name_and_signature_are_set_on_settings_and_used_by_drafts_nudges_and_digests(alice_in, alice):
    response = alice_in.post(reverse("settings"), {**SETTINGS, "display_name": "Alice Example",
                                                   "signature": "Alice Example\r\nBackend developer"})
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert (alice.profile.display_name, alice.profile.signature) == ("Alice Example", "Alice Example\nBackend developer")
    assert 'name="display_name"' in page(alice_in.get(reverse("settings")))

    invitation = log_invitation(alice, now=NOW, client="Maya Lindqvist", title="Django API", received_at=NOW - 30 * H)
    assert page(alice_in.get(reverse("respond", args=[invitation.pk]))).count("Alice Example\nBackend developer") >= 1
    sweep(NOW)
    send_due_digests(NOW)
    nudge, digest = mail.outbox
    assert nudge.body.startswith("Hello Alice Example,") and digest.body.startswith("Good morning Alice Example,")
    assert "alice," not in nudge.body + digest.body


@pytest.mark.parametrize("value", ["0", "-5"])
def test_the_reply_window_states_one_bound_for_zero_and_for_a_negative(alice_in, unchanged, value):
    with unchanged():
        response = alice_in.post(reverse("settings"), {**SETTINGS, "reply_window_hours": value})
    assert response.context["form"].errors["reply_window_hours"] == ["Ensure this value is greater than or equal to 1."]


def test_an_untitled_invitation_has_one_name_everywhere(alice_in, alice):
    invitation = log_invitation(alice, now=NOW, client="Maya Lindqvist", received_at=NOW - 30 * H)
    pages = [page(alice_in.get(url)) for url in (
        reverse("dashboard"), reverse("invitation_detail", args=[invitation.pk]),
        reverse("respond", args=[invitation.pk]), reverse("client_detail", args=[invitation.client_id]),
        reverse("digest_email"),
    )]
    sweep(NOW)
    pages.append(mail.outbox[0].body)

    for text in pages:
        assert UNTITLED in text
        for other in ("(untitled)", "(untitled invitation)", ">Invitation<", "← Invitation"):
            assert other not in text
    assert str(invitation) == "Untitled invitation from Maya Lindqvist"


def test_counts_read_as_plurals(alice_in, alice):
    invitation = log_invitation(alice, now=NOW, client="Maya", received_at=NOW - H)
    respond(invitation, now=NOW, action="decline", busy_until=dt.date(2026, 11, 23))

    response = alice_in.post(reverse("client_detail", args=[invitation.client_id]),
                             {"channel": "phone", "note": "Called."}, follow=True)

    assert "1 reconnect reminder closed" in page(response) and "(s)" not in page(response)
    assert str(sweep(NOW)) == "flagged 0 invitations, nudged 0 users, sent 0 e-mails, 0 failed"


def test_a_client_cannot_be_referred_by_themselves(alice_in, alice, unchanged):
    log_invitation(alice, now=NOW, client="Maya Lindqvist")
    with unchanged():
        for referrer in ("maya lindqvist", "Maya Lindqvist "):
            response = alice_in.post(reverse("quick_add"), {"client": "Maya Lindqvist", "platform": "upwork",
                                                             "referred_by": referrer})
            assert "A client cannot refer themselves" in " ".join(response.context["form"].errors["referred_by"])
        response = alice_in.post(reverse("quick_add"), {"client": "New Person", "platform": "upwork",
                                                         "referred_by": "new person"})
        assert "referred_by" in response.context["form"].errors


def test_the_referrer_gets_a_drafted_thank_you_with_copy_and_mail(alice_in, alice):
    invitation = log_invitation(alice, now=NOW, client="Tom Okafor", title="Billing", referred_by="Jonas Weber")
    invitation.referred_by.email = "jonas@example.com"
    invitation.referred_by.save()
    respond(invitation, now=NOW, action="decline", channel="email")
    followup = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.NOTIFY_REFERRER)

    dashboard = page(alice_in.get(reverse("dashboard")))
    assert f'href="/followups/{followup.pk}/referrer/">Write to them</a>' in dashboard
    text = page(alice_in.get(reverse("tell_referrer", args=[followup.pk])))
    assert "Tell Jonas Weber what happened" in text
    assert "Hi Jonas,\n\nThank you for introducing me to Tom Okafor" in text
    assert "mailto:jonas@example.com?subject=Thank%20you%20for%20the%20introduction%20to%20Tom%20Okafor" in text

    response = alice_in.post(reverse("tell_referrer", args=[followup.pk]), {"channel": "email", "note": "Thanked him."})
    assert response["Location"] == reverse("client_detail", args=[invitation.referred_by_id])  # back to Jonas
    followup.refresh_from_db()
    assert (followup.done_at, followup.done_channel) == (NOW, "email")


def test_the_referrer_page_is_the_owners_and_only_for_referrers(client, bob, alice):
    invitation = log_invitation(alice, now=NOW, client="Tom Okafor", referred_by="Jonas Weber")
    respond(invitation, now=NOW, action="decline")
    followup = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.NOTIFY_REFERRER)
    client.force_login(bob)
    assert client.get(reverse("tell_referrer", args=[followup.pk])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("tell_referrer", args=[invitation.followups.get(kind="reply").pk])).status_code == 404


def test_a_favicon_is_served_and_linked(client, alice_in):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in page(alice_in.get(reverse("dashboard")))
