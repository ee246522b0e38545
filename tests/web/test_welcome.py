"""The first run: a welcome on `/` until the first invitation, saving name, e-mail, zone, window and hour."""

import pytest
from django.urls import reverse

from invitations.intake.log import log_invitation

pytestmark = pytest.mark.django_db


def test_a_new_user_is_welcomed_with_their_settings_and_the_next_steps(alice_client):
    text = alice_client.get(reverse("dashboard")).content.decode()
    assert "Welcome to noghost" in text
    assert 'data-guess-zone' in text and "/static/js/welcome.js" in text
    assert f'href="{reverse("quick_add")}"' in text and "set up capture by e-mail" in text


def test_the_welcome_saves_and_guesses_nothing_itself(alice_client, alice):
    response = alice_client.post(reverse("welcome"), {
        "name": "Alice Example", "email": "alice@work.example", "timezone": "America/Sao_Paulo",
        "reply_window_hours": "12", "digest_hour": "7"})

    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    alice.refresh_from_db()
    profile = alice.profile
    assert (alice.email, alice.first_name, profile.signature) == ("alice@work.example", "Alice Example",
                                                                  "Alice Example")
    assert (profile.timezone, profile.reply_window_hours, profile.digest_hour) == ("America/Sao_Paulo", 12, 7)


def test_a_bad_zone_is_refused_on_its_field_and_nothing_changes(alice_client, unchanged):
    with unchanged():
        response = alice_client.post(reverse("welcome"), {
            "name": "A", "email": "", "timezone": "Mars/Olympus", "reply_window_hours": "0", "digest_hour": "7"})
    assert response.status_code == 400
    assert set(response.context["welcome"].errors) == {"timezone", "reply_window_hours"}


def test_the_welcome_goes_once_there_is_an_invitation_even_an_old_one(alice_client, alice, now):
    log_invitation(alice, now=now, client="Acme", received_at=now.replace(year=2024))
    assert "Welcome to noghost" not in alice_client.get(reverse("dashboard")).content.decode()
