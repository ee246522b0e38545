"""Drafts in the client's language (docs/design.md, rule 14): every kind of message, reason and
channel renders, dates are written the language's way, and no English sentence is left over."""

import datetime as dt
import re

import pytest

from invitations.answers import composer
from invitations.answers.reply import Reply
from invitations.answers.respond import text_warnings
from invitations.intake.log import log_invitation
from invitations.models import Channel, DeclineReason, FollowUp, FollowUpKind, Language, Status

pytestmark = pytest.mark.django_db

OTHERS = [code for code in Language.values if code != "en"]
NAMES = {"Maya", "Maya Lindqvist", "Django API", "Alice Example", "Sam Rivera", "Jo Referrer", "Jo"}
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


def accepts(invitation, now):
    """An acceptance asking for a time, confirming one, late, after a decline, and with no title."""
    zone = invitation.owner.profile.zone
    yield composer.compose_accept(invitation)
    yield composer.compose_accept(invitation, interview_at=now + dt.timedelta(days=3), zone=zone, patience=True)
    invitation.status, invitation.title = Status.DECLINED, ""
    yield composer.compose_accept(invitation, interview_at=now + dt.timedelta(days=3), zone=zone)
    yield composer.compose_accept(invitation, patience=True)
    invitation.status, invitation.title = Status.OPEN, "Django API"


def reconnects(invitation, now):
    """Reconnecting on time and late after a busy period, with no title, and for a client alone."""
    invitation.busy_until = BUSY
    followup = FollowUp(owner=invitation.owner, kind=FollowUpKind.RECONNECT, invitation=invitation,
                        client=invitation.client, due_at=now)
    yield composer.compose_reconnect(followup, today=BUSY)
    yield composer.compose_reconnect(followup, today=BUSY + dt.timedelta(days=10))
    invitation.title = ""
    yield composer.compose_reconnect(followup, today=BUSY + dt.timedelta(days=10))
    invitation.title, invitation.busy_until = "Django API", None
    yield composer.compose_reconnect(followup, today=BUSY)
    yield composer.compose_reconnect(FollowUp(owner=invitation.owner, kind=FollowUpKind.RECONNECT,
                                              client=invitation.client, due_at=now), today=BUSY)


def referrer_updates(invitation, now):
    """The word to the referrer at every status, with and without a period, a time and a title."""
    zone = invitation.owner.profile.zone
    yield composer.compose_referrer_update(invitation, zone=zone)
    invitation.status, invitation.interview_at = Status.ACCEPTED, now + dt.timedelta(days=3)
    yield composer.compose_referrer_update(invitation, zone=zone)
    invitation.status, invitation.interview_at, invitation.busy_until = Status.DECLINED, None, BUSY
    yield composer.compose_referrer_update(invitation, zone=zone)
    invitation.busy_until, invitation.title = None, ""
    yield composer.compose_referrer_update(invitation, zone=zone)
    invitation.status = Status.ACCEPTED
    yield composer.compose_referrer_update(invitation, zone=zone)
    invitation.status = Status.WITHDRAWN
    yield composer.compose_referrer_update(invitation, zone=zone)
    invitation.status, invitation.title = Status.OPEN, "Django API"


KINDS = {"accept": accepts, "reconnect": reconnects, "referrer": referrer_updates}


def texts(draft):
    return [draft.subject, *(draft.text_for(channel) for channel in Channel.values)]


def english_fragments(text):
    """The English pieces of three words or more of `text`, the sample's names aside."""
    for piece in re.split(r"[.,;:!?()\"“”\n]+|^- ", text):
        piece = " ".join(piece.replace("-", " ").split())
        if len(piece.split()) >= 3 and piece not in NAMES:
            yield piece


def set_language(invitation, code):
    """The client's language, and the referrer's (the word to a referrer is written in theirs)."""
    for person in (invitation.client, invitation.referred_by):
        person.language = code
        person.save()


def assert_no_english_left(english, translated, what):
    for source, text in zip(english, translated, strict=True):
        assert text.strip(), f"{what}: an empty draft"
        left = [piece for piece in english_fragments(source) if piece in text]
        assert not left, f"{what}: English left over {left} in\n{text}"


@pytest.mark.parametrize("language", OTHERS)
@pytest.mark.parametrize("reason", DeclineReason.values)
def test_every_reason_and_channel_renders_with_no_english_left(invitation, now, language, reason):
    english = [text for draft in situations(invitation, now, reason) for text in texts(draft)]
    set_language(invitation, language)
    translated = [text for draft in situations(invitation, now, reason) for text in texts(draft)]

    assert_no_english_left(english, translated, f"{language} {reason}")


@pytest.mark.parametrize("language", OTHERS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_other_kind_renders_in_every_situation_and_channel_with_no_english_left(invitation, now, language,
                                                                                    kind):
    english = [text for draft in KINDS[kind](invitation, now) for text in texts(draft)]
    set_language(invitation, language)
    translated = [text for draft in KINDS[kind](invitation, now) for text in texts(draft)]

    assert len(set(translated)) > len(translated) / 2  # the situations differ, not one text repeated
    assert_no_english_left(english, translated, f"{language} {kind}")


@pytest.mark.parametrize("language", OTHERS)
def test_the_other_kinds_write_dates_the_languages_way(invitation, now, language):
    set_language(invitation, language)
    reconnect, late = list(reconnects(invitation, now))[:2]
    invitation.status, invitation.busy_until = Status.DECLINED, BUSY
    referrer = composer.compose_referrer_update(invitation)

    for text in (reconnect.email, late.platform, reconnect.phone, referrer.email, referrer.in_person):
        assert WRITTEN[language] in text and "December" not in text


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


def test_a_german_acceptance_confirms_the_day_in_german(invitation, now):
    set_language(invitation, "de")
    draft = composer.compose_accept(invitation, interview_at=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC),
                                    zone=invitation.owner.profile.zone)

    assert draft.email.startswith("Hallo Maya,\n\nvielen Dank für die Einladung zum Gespräch über „Django API“.")
    assert "der Termin am Montag, 23. November um 10:00 CET passt mir gut." in draft.email
    assert draft.platform.endswith("Beste Grüße\nAlice Example")


def test_the_word_to_a_referrer_is_in_the_referrers_language(invitation):
    invitation.referred_by.language = "fr"
    invitation.referred_by.save()

    draft = composer.compose_referrer_update(invitation)
    assert draft.email.startswith("Bonjour Jo,\n\nMerci pour votre recommandation auprès de Maya Lindqvist")
    assert composer.compose_accept(invitation).email.startswith("Hi Maya,")  # the client's stays theirs


def test_an_accept_in_another_language_still_counts_as_an_accept(invitation, now):
    """The coherence check reads the decision as the client's language writes it (rule 4)."""
    set_language(invitation, "es")
    draft = composer.compose_accept(invitation)

    assert any(pattern.search(composer.plain(draft.email)) for pattern in draft.decisions)
    assert "¿qué horarios le vienen bien?" in draft.email


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
