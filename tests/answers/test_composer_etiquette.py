"""The drafts read as the client would read them (issue 19, items 4 to 7)."""

import datetime as dt

import pytest

from invitations.answers import composer
from invitations.answers.reply import Reply, draft_for
from invitations.answers.respond import respond
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind, Status

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def invitation(alice, now):
    return log_invitation(alice, now=now, client="Maya Lindqvist", title="Django API", platform="upwork")


def test_a_decline_with_no_reason_thanks_says_no_and_leaves_the_door_open(invitation):
    text = composer.compose_decline(invitation).email

    paragraphs = text.split("\n\n")
    assert paragraphs[1] == 'Thank you for thinking of me for "Django API".'
    assert paragraphs[2] == "I have to decline this one."
    assert paragraphs[3] == "I'd be glad to hear from you about future work."
    assert "future work" not in composer.compose_decline(invitation, reason="spam").email  # not to a spammer


def test_busy_with_no_period_asks_for_the_period_on_the_page(invitation):
    draft = composer.compose_decline(invitation, reason="busy")

    assert any(line.startswith("Say until when you are busy") for line in draft.advice)
    assert "fully booked, so" in draft.email and "reconnect" not in draft.email


@pytest.mark.parametrize("compose", [
    lambda inv: composer.compose_decline(inv, reason="rate"),
    lambda inv: composer.compose_accept(inv),
])
def test_in_person_gets_notes_for_a_meeting_not_a_call(invitation, compose):
    draft = compose(invitation)

    assert draft.in_person.startswith("Notes for meeting Maya Lindqvist in person:")
    assert "call" not in draft.in_person.splitlines()[0]
    assert draft.phone.startswith("Talking points for a call with Maya Lindqvist:")


def test_a_late_cancellation_apologises_offers_another_time_and_does_not_thank_for_thinking_of_me(invitation, now):
    respond(invitation, now=now, action="accept", interview_at=now + 5 * HOUR)
    invitation.refresh_from_db()

    draft = draft_for(invitation, Reply(action="decline", reason="accepted_other"), now=now)

    assert "Thank you for thinking of me" not in draft.email
    assert draft.email.split("\n\n")[1].startswith("I'm sorry to cancel our interview on Friday 20 November at 15:00 CET "
                                                   "at such short notice.")
    assert "I'd be glad to find another time to talk, or to reconnect when the timing is better." in draft.email
    assert "Offer another time to talk, or to reconnect" in draft.phone


def test_an_acceptance_more_than_a_day_late_thanks_them_for_their_patience(invitation, now):
    prompt = draft_for(invitation, Reply(action="accept"), now=now + 3 * HOUR).email
    late = draft_for(invitation, Reply(action="accept"), now=now + 30 * HOUR).email

    assert "patience" not in prompt
    assert 'Thank you for the invitation to talk about "Django API", and for your patience while I got back to you.' in late


def test_accepting_after_a_decline_says_the_plans_changed(invitation, now):
    respond(invitation, now=now, action="decline")
    invitation.refresh_from_db()

    assert "My plans have changed since I last wrote. I'd be glad to" in draft_for(
        invitation, Reply(action="accept"), now=now + HOUR).email


@pytest.fixture
def reconnect(invitation, now):
    respond(invitation, now=now, action="decline", busy_until=dt.date(2026, 12, 11), channel="email")
    return FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT)


def test_a_reconnect_claims_nothing_it_cannot_know(reconnect):
    draft = composer.compose_reconnect(reconnect, today=dt.date(2026, 12, 11))

    for text in (draft.email, draft.platform, draft.phone, draft.in_person):
        assert "finished" not in text
    assert "I was booked until 11 December 2026 and said I'd get back in touch after that." in draft.email
    assert "sorry" not in draft.email


def test_a_late_reconnect_owns_the_delay(reconnect):
    draft = composer.compose_reconnect(reconnect, today=dt.date(2026, 12, 20))

    assert "after that; I'm sorry it has taken me a little longer." in draft.email
    assert "apologise that it took a little longer" in draft.phone


def test_the_referrer_gets_a_thank_you_saying_what_happened(alice, now):
    invitation = log_invitation(alice, now=now, client="Tom Okafor", title="Billing", referred_by="Jonas Weber")
    respond(invitation, now=now, action="decline", busy_until=dt.date(2026, 12, 11), channel="email")
    invitation.refresh_from_db()

    draft = composer.compose_referrer_update(invitation)

    assert draft.subject == "Thank you for the introduction to Tom Okafor"
    assert draft.email.startswith("Hi Jonas,\n\nThank you for introducing me to Tom Okafor about \"Billing\"")
    assert "I couldn't take it on this time, as I'm booked until 11 December 2026" in draft.email
    assert "rate" not in draft.email  # the reason stays between the user and the client

    respond(invitation, now=now + HOUR, action="accept")
    invitation.refresh_from_db()
    assert invitation.status == Status.ACCEPTED
    assert "we have agreed to talk" in composer.compose_referrer_update(invitation).email


def test_drafts_sign_with_the_signature_else_the_display_name_and_the_login_only_when_nothing_is_set(alice, invitation):
    assert composer.compose_decline(invitation).email.endswith("Best regards,\nalice")
    alice.profile.display_name = "Alice Example"
    alice.profile.save()
    assert composer.compose_decline(invitation).platform.endswith("Thanks again,\nAlice Example")
    alice.profile.signature = "Alice Example\nBackend developer"
    alice.profile.save()
    assert composer.compose_accept(invitation).email.endswith("Best regards,\nAlice Example\nBackend developer")
