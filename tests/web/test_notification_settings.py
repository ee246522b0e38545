"""`/settings/notifications/`: adding, testing and removing targets; the secret never shown again."""

import pytest
from django.utils import timezone

from invitations.models import NotificationTarget, OutboundEmail
from invitations.vault import unseal
from tests.support.receiver import Receiver

pytestmark = pytest.mark.django_db
PAGE = "/settings/notifications/"
SECRET_URL = "tgram://123456789:AAE-very-secret-token/4242/"


def test_a_target_is_added_and_then_shown_by_label_and_service_only(alice_client, alice):
    response = alice_client.post(PAGE, {"label": "Phone", "url": SECRET_URL}, follow=True)
    page = response.content.decode()
    assert "Phone" in page and "Telegram" in page
    assert "very-secret" not in page and "123456789" not in page
    target = NotificationTarget.objects.get(owner=alice)
    assert unseal(target.url_sealed) == SECRET_URL and "very-secret" not in target.url_sealed
    again = alice_client.get(PAGE).content.decode()
    assert "very-secret" not in again and 'type="password"' in again


def test_a_url_apprise_does_not_know_is_refused_by_name(alice_client, alice, unchanged):
    with unchanged():
        response = alice_client.post(PAGE, {"label": "Pager", "url": "pager://nothing"})
    assert response.status_code == 400
    assert "apprise does not understand a URL starting pager://" in response.content.decode()


def test_send_a_test_reports_delivery_through_the_outbox(alice_client, alice):
    with Receiver() as receiver:
        alice_client.post(PAGE, {"label": "Hook", "url": receiver.url})
        target = NotificationTarget.objects.get(owner=alice)
        response = alice_client.post(f"{PAGE}{target.pk}/test/", follow=True)
    assert "Hook (JSON): the test was delivered" in response.content.decode()
    assert receiver.posts[0]["title"] == "noghost: a test notification"
    row = OutboundEmail.objects.get(kind="test_notice")
    assert (row.state, row.target_id) == ("sent", target.pk)


def test_send_a_test_to_a_receiver_that_is_down_says_what_apprise_said(alice_client, alice):
    receiver = Receiver()  # never started
    alice_client.post(PAGE, {"label": "Hook", "url": receiver.url})
    target = NotificationTarget.objects.get(owner=alice)
    response = alice_client.post(f"{PAGE}{target.pk}/test/", follow=True)
    page = response.content.decode()
    assert "the test did not go through. apprise said:" in page and "A Connection error occurred" in page


def test_removing_a_target_drops_what_was_still_to_go_there(alice_client, alice):
    alice_client.post(PAGE, {"label": "Hook", "url": "json://127.0.0.1:9/x"})
    target = NotificationTarget.objects.get(owner=alice)
    OutboundEmail.objects.create(owner=alice, kind="nudge", to="", target=target, subject="s", body_text="b",
                                 created_at=target.created_at)
    response = alice_client.post(f"{PAGE}{target.pk}/remove/", follow=True)
    assert "Removed Hook (JSON)" in response.content.decode()
    assert not NotificationTarget.objects.exists() and not OutboundEmail.objects.exists()


def test_the_usual_busy_period_is_checked_and_saved(alice_client, alice):
    bad = alice_client.post(PAGE, {"busy_period": "a fortnight"})
    assert bad.status_code == 400 and "Your usual busy period" in bad.content.decode()
    alice_client.post(PAGE, {"busy_period": "3  weeks"})
    alice.profile.refresh_from_db()
    assert alice.profile.busy_period == "3 weeks"


def test_the_pages_need_a_login(client):
    assert client.get(PAGE).status_code == 302


def test_the_dashboard_names_the_target_of_a_notification_in_doubt(alice_client, alice):
    target = NotificationTarget.objects.create(owner=alice, label="Phone", service="ntfy", url_sealed="x",
                                               created_at=timezone.now())
    OutboundEmail.objects.create(owner=alice, kind="nudge", to="", target=target, subject="Acme is waiting",
                                 body_text="b", state="unsure", created_at=timezone.now())
    page = alice_client.get("/").content.decode()
    assert "Overdue nudge to Phone (ntfy) of" in page and "It reached the service, but it never confirmed" in page
