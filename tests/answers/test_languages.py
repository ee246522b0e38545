"""Drafts in the client's language (docs/design.md, rule 14): every reason and channel renders,
dates are written the language's way, and no English sentence is left over."""

import datetime as dt
import re

import pytest

from invitations.answers import composer
from invitations.answers.reply import Reply
from invitations.answers.respond import text_warnings
from invitations.intake.log import log_invitation
from invitations.models import Channel, DeclineReason, Language, Status

pytestmark = pytest.mark.django_db

OTHERS = [code for code in Language.values if code != "en"]
NAMES = {"Maya", "Maya Lindqvist", "Django API", "Alice Example", "Sam Rivera", "Jo Referrer"}
BUSY = dt.date(2026, 12, 14)
WRITTEN = {"es": "14 de diciembre de 2026", "de": "14. Dezember 2026", "fr": "14 décembre 2026",
           "pt": "14 de dezembro de 2026"}


@pytest.fixture
def invitation(alice, now):
    alice.profile.signature = "Alice Example"
    alice.profile.save()
    return log_invitation(alice, now=now, client="Maya Lindqvist", title="Django API", platform="upwork",
                          referred_by="Jo Referrer")


def situations(invitation, now, reason):
    """The drafts of one reason: plain, with a period and a suggestion, and a late cancellation."""
    yield composer.compose_decline(invitation, reason=reason)
    yield composer.compose_decline(invitation, reason=reason, busy_until=BUSY, suggest="Sam Rivera")
    invitation.status, invitation.interview_at = Status.ACCEPTED, now + dt.timedelta(hours=5)
    yield composer.compose_decline(invitation, reason=reason, late=True, zone=invitation.owner.profile.zone)
    invitation.status, invitation.interview_at = Status.OPEN, None


def texts(draft):
    return [draft.subject, *(draft.text_for(channel) for channel in Channel.values)]


def english_fragments(text):
    """The English pieces of three words or more of `text`, the sample's names aside."""
    for piece in re.split(r"[.,;:!?()\"“”\n]+|^- ", text):
        piece = " ".join(piece.replace("-", " ").split())
        if len(piece.split()) >= 3 and piece not in NAMES:
            yield piece


def set_language(invitation, code):
    invitation.client.language = code
    invitation.client.save()


@pytest.mark.parametrize("language", OTHERS)
@pytest.mark.parametrize("reason", DeclineReason.values)
def test_every_reason_and_channel_renders_with_no_english_left(invitation, now, language, reason):
    english = [text for draft in situations(invitation, now, reason) for text in texts(draft)]
    set_language(invitation, language)
    translated = [text for draft in situations(invitation, now, reason) for text in texts(draft)]

    for source, text in zip(english, translated, strict=True):
        assert text.strip(), f"{language} {reason}: an empty draft"
        left = [piece for piece in english_fragments(source) if piece in text]
        assert not left, f"{language} {reason}: English left over {left} in\n{text}"


@pytest.mark.parametrize("language", OTHERS)
def test_dates_are_written_the_languages_way(invitation, now, language):
    set_language(invitation, language)
    draft = composer.compose_decline(invitation, reason=DeclineReason.BUSY, busy_until=BUSY)

    assert WRITTEN[language] in draft.email and WRITTEN[language] in draft.phone
    assert "December" not in draft.email


def test_a_german_cancellation_names_the_day_in_german(invitation, now):
    set_language(invitation, "de")
    invitation.status, invitation.interview_at = Status.ACCEPTED, dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    draft = composer.compose_decline(invitation, zone=invitation.owner.profile.zone)

    assert "am Montag, 23. November um 10:00 CET" in draft.email
    assert draft.email.startswith("Hallo Maya,\n\nes tut mir leid")


def test_a_client_without_a_language_gets_the_users(invitation):
    invitation.owner.profile.language = "fr"
    invitation.owner.profile.save()

    assert invitation.client.language == ""
    assert composer.compose_decline(invitation).email.startswith("Bonjour Maya,\n\nMerci d'avoir pensé à moi")


def test_english_drafts_stay_as_they_were(invitation):
    """The English msgids are the English text: no catalogue changes them (the composer's own tests pin them)."""
    set_language(invitation, "en")
    assert "I have to decline this one." in composer.compose_decline(invitation).email


@pytest.mark.parametrize("language", OTHERS)
def test_a_translated_decline_names_its_busy_period(invitation, language):
    """The etiquette check reads the date as the client's language writes it: no false warning."""
    set_language(invitation, language)
    reply = Reply(action="decline", busy_until=BUSY)
    draft = composer.compose_decline(invitation, reason=DeclineReason.BUSY, busy_until=BUSY)

    assert not text_warnings(invitation, reply, draft.platform, Channel.PLATFORM)
    assert text_warnings(invitation, reply, "Lo siento, no puedo.", Channel.EMAIL)
