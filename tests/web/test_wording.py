"""The user's own wording (docs/design.md, rule 13): /settings/messages/, its checks and preview."""

import datetime as dt

import pytest
from django.urls import reverse

from invitations.answers import composer
from invitations.answers.wording import check_wording
from invitations.intake.log import log_invitation
from invitations.models import DeclineReason, FollowUp, FollowUpKind, Wording

pytestmark = pytest.mark.django_db
PAGE = reverse("message_settings")


def maya(owner, now, language):
    """The sample invitation from a client who reads `language` (not saved: the draft reads it as it is)."""
    invitation = log_invitation(owner, now=now, client="Maya Lindqvist", title="Django API", platform="upwork")
    invitation.client.language = language
    return invitation


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
    invitation = maya(alice, now, "es")
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


def test_own_wording_of_an_acceptance_goes_into_its_drafts_per_channel(alice_in, alice, now):
    alice_in.post(PAGE, {"language": "fr", "accept_opening": "Merci beaucoup, $first_name, pour « $title » !",
                         "accept_yes": "Avec plaisir : $interview_at me va très bien.",
                         "accept_sign_off_platform": "À très vite,\n$your_name"})
    invitation = maya(alice, now, "fr")
    draft = composer.compose_accept(invitation, interview_at=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC),
                                    zone=alice.profile.zone)

    assert "Merci beaucoup, Maya, pour « Django API » ! Avec plaisir : lundi 23 novembre à 10:00 CET me va très bien." \
        in draft.email
    assert draft.platform.endswith("À très vite,\nalice") and draft.email.endswith("Bien cordialement,\nalice")
    asking = composer.compose_accept(invitation).email  # no time yet: noghost's question, not the own "yes"
    assert "quels créneaux vous conviendraient ?" in asking and "me va très bien" not in asking
    assert composer.compose_decline(invitation).email.startswith("Bonjour Maya,\n\nMerci d'avoir pensé à moi")


def test_own_wording_of_a_reconnect_and_a_referrer_word_is_used(alice_in, alice, now):
    alice_in.post(PAGE, {"language": "en", "reconnect_ask": "Still looking for help with $title?",
                         "referrer_opening": "You're a star for sending $client_name my way, $first_name."})
    invitation = log_invitation(alice, now=now, client="Maya Lindqvist", title="Django API", referred_by="Jo Referrer")
    followup = FollowUp(owner=alice, kind=FollowUpKind.RECONNECT, invitation=invitation, client=invitation.client,
                        due_at=now)

    reconnect = composer.compose_reconnect(followup)
    assert "Still looking for help with Django API?" in reconnect.platform and "Is your need" not in reconnect.email
    assert "I was booked" in reconnect.email  # the parts left empty stay noghost's
    assert "You're a star for sending Maya Lindqvist my way, Jo." in composer.compose_referrer_update(invitation).email


def test_an_unknown_placeholder_in_an_acceptance_part_is_a_form_error_naming_it(alice_in, alice):
    response = alice_in.post(PAGE, {"language": "en", "accept_yes": "See you at $time!",
                                    "accept_opening": "Thanks, $first_name."})

    assert response.status_code == 400
    page = response.content.decode()
    assert "“$time” is not a placeholder" in page and "$interview_at" in page
    assert not Wording.objects.exists()


def test_the_live_preview_shows_the_message_of_the_part(alice_in, alice):
    answer = alice_in.post(reverse("wording_preview"), {
        "language": "de", "preview_kind": "reconnect", "reconnect_opening": "Wie versprochen melde ich mich, $first_name.",
    }).json()
    assert answer["email"].startswith("Hallo Maya,\n\nWie versprochen melde ich mich, Maya.")
    assert answer["subject"] == "Kurze Nachfrage: Django API"

    asking = alice_in.post(reverse("wording_preview"), {"language": "en", "preview_kind": "accept_ask",
                                                       "accept_ask": "Happy to; when suits you?"}).json()
    assert "Happy to; when suits you?" in asking["platform"]


def test_back_to_noghosts_wording_drops_an_acceptance_sign_off(alice_in, alice):
    alice_in.post(PAGE, {"language": "en", "accept_sign_off_email": "Cheers,\n$your_name", "accept_yes": "Yes!"})
    page = alice_in.get(PAGE, {"language": "en", "preview_kind": "accept"}).content.decode()
    assert 'value="accept_sign_off_email">Back to noghost' in page and "Cheers,\nalice" in page

    alice_in.post(PAGE, {"language": "en", "reset": "accept_sign_off_email"})
    assert list(Wording.objects.values_list("part", "channel")) == [("accept:yes", "")]
