"""The composer: declines that follow the etiquette, one sentence per reason, no contact details on platforms."""

import datetime as dt

import pytest

from invitations.answers import composer
from invitations.intake.log import log_invitation
from invitations.models import Channel, DeclineReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(alice, now):
    alice.profile.signature = "Alice Example"
    alice.profile.save()
    return log_invitation(alice, now=now, client="Maya Lindqvist", title="Django API", platform="upwork")


def test_decline_thanks_says_no_gives_period_asks_to_reconnect_and_signs(invitation):
    draft = composer.compose_decline(
        invitation, reason=DeclineReason.BUSY, busy_until=dt.date(2026, 12, 14), suggest="Sam Rivera",
    )

    text = draft.email
    assert text.startswith("Hi Maya,\n\nThank you for thinking of me for \"Django API\".")
    assert "I have to decline this one." in text
    assert "fully booked until 14 December 2026" in text
    assert "Could we reconnect after that?" in text
    assert "Sam Rivera could be a good fit" in text
    assert text.endswith("Best regards,\nAlice Example")
    assert draft.subject == "Thank you for the invitation: Django API"
    assert "\n\n\n" not in text and "  " not in text


@pytest.mark.parametrize("reason", [r for r in DeclineReason.values if r != "other"])
def test_each_reason_is_one_brief_sentence(invitation, reason):
    draft = composer.compose_decline(invitation, reason=reason)
    paragraph = draft.email.split("\n\n")[2]

    assert paragraph.startswith("I have to decline this one. ")
    sentence = paragraph.removeprefix("I have to decline this one. ")
    assert sentence.count(".") == 1 and sentence.endswith(".") and len(sentence) < 120
    assert "sorry" not in draft.email.lower()  # no apologising at length for a plain decline


def test_no_reason_and_no_period_keeps_it_short(invitation):
    text = composer.compose_decline(invitation).email

    assert "reconnect" not in text
    assert text.split("\n\n")[2] == "I have to decline this one."


def test_another_reason_with_a_busy_period_states_the_period(invitation):
    text = composer.compose_decline(invitation, reason=DeclineReason.RATE, busy_until=dt.date(2027, 1, 8)).email

    assert "budget is below the rate" in text
    assert "I'm committed to other work until 8 January 2027. Could we reconnect after that?" in text


def test_late_cancellation_apologises_once_and_advises_calling(invitation, alice):
    invitation.interview_at = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.timezone.utc)
    draft = composer.compose_decline(invitation, late=True, zone=alice.profile.zone)

    assert "sorry to cancel our interview on Saturday 21 November at 10:00 CET" in draft.email
    assert draft.subject == "Cancelling our interview on Saturday 21 November at 10:00 CET"
    assert any("call them" in line for line in draft.advice)
    assert "Apologise for cancelling" in draft.phone


def test_referred_invitation_thanks_the_referrer_and_advises_telling_them(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme Corp Ltd", referred_by="Jonas Weber")

    draft = composer.compose_decline(invitation)

    assert draft.email.startswith("Hi Acme Corp Ltd,")  # a company is greeted by its name
    assert "thanks to Jonas Weber for putting us in touch" in draft.email
    assert draft.advice == ("Jonas Weber referred this client: tell them what happened.",)


def test_phone_talking_points_cover_the_etiquette(invitation):
    phone = composer.compose_decline(
        invitation, reason=DeclineReason.REMOTE, busy_until=dt.date(2026, 12, 14), suggest="Sam",
    ).phone

    assert phone.splitlines() == [
        "Talking points for a call with Maya Lindqvist:",
        "- Thank them for thinking of you for \"Django API\".",
        "- Say clearly that you won't take it on.",
        "- The reason, in one sentence: I only work remotely, and this role needs someone on site.",
        "- You are committed until 14 December 2026: ask to reconnect after that, and say you will get in touch.",
        "- Suggest Sam instead, and offer an introduction.",
        "- Close warmly, and say you will confirm in writing.",
    ]


def test_platform_draft_has_no_contact_details_and_text_for_picks_by_channel(invitation):
    draft = composer.compose_decline(invitation, suggest="Sam")

    assert composer.contact_details(draft.platform) == []
    assert "introduce you here." in draft.platform
    assert draft.text_for(Channel.PLATFORM) == draft.platform
    # A call gets talking points and a meeting its own notes (issue 19, item 5): each by its channel.
    assert draft.text_for(Channel.PHONE) == draft.phone and draft.text_for(Channel.IN_PERSON) == draft.in_person
    assert draft.phone.startswith("Talking points for a call") and draft.in_person.startswith("Notes for meeting")
    assert draft.text_for(Channel.EMAIL) == draft.email


def test_accept_confirms_the_time(invitation, alice):
    draft = composer.compose_accept(
        invitation, interview_at=dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.timezone.utc), zone=alice.profile.zone,
    )
    assert "I'd be glad to, and Tuesday 24 November at 16:00 CET works for me." in draft.email
    assert composer.compose_accept(invitation).email.count("which times suit you?") == 1


@pytest.mark.parametrize("text, found", [
    ("write me at jane.doe+work@example.co.uk please", ["jane.doe+work@example.co.uk"]),
    ("call +49 30 1234567 or (212) 555-0199", ["+49 30 1234567", "(212) 555-0199"]),
    ("busy until 2026-12-14, or 14.12.2026", []),
    ("I charge 95 per hour for 3 weeks", []),
    ("", []),
])
def test_finds_contact_details(text, found):
    assert composer.contact_details(text) == found


def test_platform_warning_only_for_platform_channel():
    assert "remove jane@example.com" in composer.platform_warning("mail jane@example.com", Channel.PLATFORM)
    assert composer.platform_warning("mail jane@example.com", Channel.EMAIL) == ""
    assert composer.platform_warning("nothing here", Channel.PLATFORM) == ""


def test_mailto_link_carries_subject_and_body():
    link = composer.mailto_link("maya@example.com", "Thanks: A&B", "Hi Maya,\n\nNo.")
    assert link == "mailto:maya@example.com?subject=Thanks%3A%20A%26B&body=Hi%20Maya%2C%0A%0ANo."
