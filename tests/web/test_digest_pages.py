"""The digest pages: today's preview as it would be sent, a test send, settings, the dashboard line."""

import datetime as dt
import html

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from invitations.models import Digest, OutboundEmail
from invitations.reminders.digest_content import build_digest
from invitations.reminders.digests import render_digest, send_due_digests
from tests.support.digest_factory import overdue_invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)  # 10:00 in Berlin


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alice_in(client, alice):
    client.force_login(alice)
    return client


def test_pages_need_a_login(client):
    for name in ("digest_preview", "digest_email", "settings"):
        assert client.get(reverse(name)).status_code == 302


def test_preview_shows_todays_digest_exactly_as_it_would_be_sent(alice_in, alice, bob, frozen):
    overdue_invitation(alice, NOW, title="Alice's job")
    overdue_invitation(bob, NOW, title="Bob's job")

    response = alice_in.get(reverse("digest_preview"))

    rendered = render_digest(build_digest(alice, now=NOW))
    assert response.context["rendered"] == rendered
    page = response.content.decode()
    assert f'src="{reverse("digest_email")}"' in page
    assert "1 invitation needs an answer today" in page
    assert "Bob&#x27;s job" not in page and "Bob's job" not in page
    framed = alice_in.get(reverse("digest_email")).content.decode()
    assert framed == rendered.html and "Bob's job" not in framed


def test_the_framed_email_may_style_itself_inline_but_never_run_script(alice_in, alice, frozen):
    """Only the e-mail document relaxes style-src (mail needs inline styles); the preview page keeps the strict policy."""
    preview = alice_in.get(reverse("digest_preview"))
    email = alice_in.get(reverse("digest_email"))

    assert "unsafe-inline" not in preview["Content-Security-Policy"] and preview["X-Frame-Options"] == "DENY"
    policy = dict(part.strip().partition(" ")[::2] for part in email["Content-Security-Policy"].split(";"))
    assert policy == {
        "default-src": "'none'", "style-src": "'unsafe-inline'", "img-src": "'self' data:", "base-uri": "'none'",
        "form-action": "'none'", "frame-ancestors": "'self'", "sandbox": "",
    }
    assert email["X-Frame-Options"] == "SAMEORIGIN"


def test_preview_says_when_todays_digest_went_out(alice_in, alice, frozen):
    overdue_invitation(alice, NOW)
    send_due_digests(NOW)

    page = alice_in.get(reverse("digest_preview")).content.decode()

    assert "Today's digest went out at 10:00" in page


def test_send_it_to_me_now_sends_a_test_digest_not_counted_as_the_days(alice_in, alice, frozen):
    overdue_invitation(alice, NOW)

    response = alice_in.post(reverse("digest_send_test"))

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["alice@example.com"] and message.subject == "1 invitation needs an answer today"
    email = OutboundEmail.objects.get()
    assert (email.kind, email.state) == ("test_digest", "sent")
    assert not Digest.objects.exists()
    assert send_due_digests(NOW).sent == 1  # the day's digest still goes out


def test_send_it_to_me_now_sends_at_most_one_a_minute_and_says_when_to_ask_again(alice_in, alice, bob):
    overdue_invitation(alice, NOW)
    with time_machine.travel(NOW, tick=False):
        responses = [alice_in.post(reverse("digest_send_test"), follow=True) for _ in range(20)]
    with time_machine.travel(NOW + dt.timedelta(seconds=45), tick=False):
        later = alice_in.post(reverse("digest_send_test"), follow=True).content.decode()

    assert len(mail.outbox) == 1  # 20 clicks in a second, one e-mail
    assert "Sent a test digest to alice@example.com." in responses[0].content.decode()
    for response in responses[1:]:
        assert ("A test digest went to you less than a minute ago. You can ask for another in 60 seconds."
                in response.content.decode())
    assert "You can ask for another in 15 seconds." in later
    assert OutboundEmail.objects.filter(kind="test_digest").count() == 1  # the refused ones queue nothing

    bob_in = Client()
    bob_in.force_login(bob)  # the limit is each user's own
    with time_machine.travel(NOW + dt.timedelta(seconds=50), tick=False):
        bob_in.post(reverse("digest_send_test"))
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        alice_in.post(reverse("digest_send_test"))
    assert [m.to for m in mail.outbox] == [["alice@example.com"], ["bob@example.com"], ["alice@example.com"]]


def test_send_test_is_post_only(alice_in):
    assert alice_in.get(reverse("digest_send_test")).status_code == 405


def test_settings_page_offers_a_searchable_zone_list(alice_in):
    page = alice_in.get(reverse("settings")).content.decode()

    assert 'list="time-zones"' in page and '<option value="Pacific/Auckland">' in page


def test_settings_are_saved(alice_in, alice):
    response = alice_in.post(reverse("settings"), {
        "timezone": "America/New_York", "digest_hour": "7", "reply_window_hours": "12", "nudges_enabled": "on",
    })

    assert response.status_code == 302
    alice.profile.refresh_from_db()
    p = alice.profile
    assert (p.timezone, p.digest_hour, p.reply_window_hours, p.digest_enabled, p.nudges_enabled) == (
        "America/New_York", 7, 12, False, True,
    )


@pytest.mark.parametrize("field, value, message", [
    ("timezone", "Mars/Olympus", "Mars/Olympus is not a known IANA time zone"),
    ("timezone", "", "This field is required."),
    ("digest_hour", "24", "Select a valid choice. 24 is not one of the available choices."),
    ("reply_window_hours", "0", "greater than or equal to 1"),
    ("reply_window_hours", "soon", "Enter a whole number."),
])
def test_bad_settings_name_the_field_and_change_nothing(alice_in, unchanged, field, value, message):
    data = {"timezone": "Europe/Berlin", "digest_hour": "8", "reply_window_hours": "24", "digest_enabled": "on"}
    with unchanged():
        response = alice_in.post(reverse("settings"), {**data, field: value})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    assert message in html.unescape(response.content.decode())


def test_dashboard_says_when_the_last_digest_went_out(alice_in, alice, frozen):
    assert "No digest has gone out yet." in alice_in.get(reverse("dashboard")).content.decode()
    overdue_invitation(alice, NOW)
    send_due_digests(NOW)

    assert "Last digest went out Fri 20 Nov, 10:00." in alice_in.get(reverse("dashboard")).content.decode()


def test_preview_escapes_what_the_user_typed(alice_in, alice, frozen):
    overdue_invitation(alice, NOW, title="<script>alert(1)</script>")

    page = alice_in.get(reverse("digest_preview")).content.decode()
    framed = alice_in.get(reverse("digest_email")).content.decode()

    assert "<script>" not in page and "<script>" not in framed
