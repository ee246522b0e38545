"""The user's own wording (docs/design.md, rule 13): /settings/messages/, its checks and preview."""

import datetime as dt

import pytest
from django.urls import reverse

from invitations.answers import composer
from invitations.answers.wording import check_wording
from invitations.intake.log import log_invitation
from invitations.models import DeclineReason, Wording

pytestmark = pytest.mark.django_db
PAGE = reverse("message_settings")


@pytest.mark.parametrize("text, named", [
    ("Hi $client, thanks", "“$client” is not a placeholder"),
    ("Thanks for ${nope}", "“$nope” is not a placeholder"),
    ("Until ${busy_until, then", "starts no placeholder"),
    ("It costs $ 40", "starts no placeholder"),
])
def test_a_bad_placeholder_is_named(text, named):
    assert named in check_wording(text)


@pytest.mark.parametrize("text", ["Thanks, $first_name, for ${title}!", "My rate is $$90 an hour.", "Plain text."])
def test_good_texts_pass(text):
    assert check_wording(text) == ""


def test_a_bad_text_is_a_form_error_naming_it_and_saves_nothing(alice_in, alice):
    response = alice_in.post(PAGE, {"language": "en", "opening": "Hi $client", "busy": "Fine text"})

    assert response.status_code == 400
    assert "“$client” is not a placeholder" in response.content.decode()
    assert not Wording.objects.exists()


def test_saved_wording_goes_into_drafts_of_its_language_and_channel(alice_in, alice, now):
    alice_in.post(PAGE, {
        "language": "es", "opening": "¡Gracias, $first_name, por pensar en mí para «$title»!",
        "busy": "Estoy a tope hasta el $busy_until; te escribo después.",
        "sign_off_platform": "Un abrazo,\n$your_name",
    })
    invitation = log_invitation(alice, now=now, client="Maya Lindqvist", title="Django API", platform="upwork")
    invitation.client.language = "es"
    draft = composer.compose_decline(invitation, reason=DeclineReason.RATE, busy_until=dt.date(2026, 12, 14))

    assert "¡Gracias, Maya, por pensar en mí para «Django API»!" in draft.email
    assert "Estoy a tope hasta el 14 de diciembre de 2026; te escribo después." in draft.platform
    assert draft.platform.endswith("Un abrazo,\nalice") and draft.email.endswith("Un cordial saludo,\nalice")
    assert "Thank" not in draft.email
    invitation.client.language = "en"  # another language keeps noghost's wording
    assert "Thank you for thinking of me" in composer.compose_decline(invitation).email


def test_back_to_noghosts_wording_drops_one_part(alice_in, alice):
    alice_in.post(PAGE, {"language": "en", "opening": "Cheers, $first_name.", "reason_rate": "Too cheap for me."})
    response = alice_in.post(PAGE, {"language": "en", "reset": "opening"})

    assert response.status_code == 302
    assert list(Wording.objects.values_list("part", flat=True)) == ["reason:rate"]


def test_the_page_shows_the_preview_with_the_saved_wording(alice_in, alice):
    alice_in.post(PAGE, {"language": "de", "opening": "Danke, $first_name!"})
    page = alice_in.get(PAGE, {"language": "de"}).content.decode()

    assert "Hallo Maya,\n\nDanke, Maya!" in page and "Back to noghost's wording" in page


def test_the_live_preview_drafts_unsaved_text_and_keeps_the_etiquette_checks(alice_in, alice):
    response = alice_in.post(reverse("wording_preview"), {
        "language": "en", "preview_reason": "rate", "busy": "Let's talk again some time.",
        "sign_off_platform": "Thanks,\n$your_name\nalice@example.com",
    })
    answer = response.json()

    assert "Let's talk again some time." in answer["email"]
    assert any("alice@example.com" in line for line in answer["warnings"])  # no contact details on a platform
    assert any("does not say you are busy until" in line for line in answer["warnings"])
    assert not Wording.objects.exists()


def test_the_live_preview_names_a_bad_placeholder(alice_in):
    response = alice_in.post(reverse("wording_preview"), {"language": "en", "suggestion": "Try $someone"})

    assert response.status_code == 400
    assert "“$someone” is not a placeholder" in response.json()["errors"]["suggestion"][0]
