"""The kept text says the answer recorded (issue 19, item 1): noghost's words for the other answer
are refused, and a decline whose text drops its busy period is warned about."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from invitations.answers import coherence, composer
from invitations.answers.reply import Reply, draft_for
from invitations.answers.respond import respond
from invitations.intake.log import log_invitation

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def invitation(alice, now):
    return log_invitation(alice, now=now, client="Maya Lindqvist", title="Django API", platform="direct")


def drafted(invitation, now, channel="email", **choices):
    return draft_for(invitation, Reply(**choices), now=now).text_for(channel)


@pytest.mark.parametrize("channel", ["email", "platform", "phone", "in_person"])
def test_accepting_with_the_decline_noghost_drafted_is_refused_on_the_message(invitation, now, unchanged, channel):
    text = drafted(invitation, now, channel, action="decline", reason="busy")

    with unchanged(), pytest.raises(ValidationError) as refused:
        respond(invitation, now=now, action="accept", channel=channel, message=text, sent=False)

    [problem] = refused.value.message_dict["message"]
    assert "still declines" in problem and "your answer is Accept" in problem


def test_declining_with_an_acceptance_and_its_interview_time_is_refused(invitation, now, alice):
    # Accept with a time typed, then Decline without redrafting: the time was never saved anywhere.
    text = drafted(invitation, now, action="accept", interview_at=now + 50 * HOUR)
    assert "works for me" in text

    with pytest.raises(ValidationError) as refused:
        respond(invitation, now=now, action="decline", message=text)
    assert "still accepts" in refused.value.message_dict["message"][0]


def test_cancelling_with_the_acceptance_kept_is_refused(invitation, now):
    respond(invitation, now=now, action="accept", interview_at=now + 72 * HOUR)
    invitation.refresh_from_db()
    with pytest.raises(ValidationError):
        respond(invitation, now=now + HOUR, action="decline", message=drafted(invitation, now, action="accept"))


def test_own_words_and_edited_drafts_that_agree_are_kept(invitation, now):
    edited = drafted(invitation, now, action="accept") + "\n\nLooking forward to it; I'd be glad to hear more."
    assert respond(invitation, now=now, action="accept", message=edited, sent=False).sent is False
    decline = "Hi Maya, thanks, but I can't this time. I'd be glad to talk about future work."
    assert respond(invitation, now=now, action="decline", message=decline, sent=False).sent is False


def test_a_decline_whose_text_drops_its_busy_period_is_warned_about_and_kept(invitation, now):
    plain_decline = drafted(invitation, now, action="decline")  # drafted before "3 weeks" was chosen

    answer = respond(invitation, now=now, action="decline", busy_until=dt.date(2026, 12, 11), message=plain_decline,
                     sent=False)

    assert answer.warnings == [
        "Your message does not say you are busy until 11 December 2026, nor ask to reconnect after it, so the client "
        "cannot plan around it; noghost still reminds you to reconnect on that day."
    ]
    assert answer.invitation.unsent.message == plain_decline


@pytest.mark.parametrize("text", ["until 11 December", "till Dec 11", "back on 2026-12-11", "after 11/12", "11 dec"])
def test_a_busy_period_counts_as_mentioned_as_people_write_dates(text):
    assert coherence.mentions_day(text, dt.date(2026, 12, 11))
    assert not coherence.busy_period_warning(Reply(action="decline", busy_until=dt.date(2026, 12, 11)), text)


def test_plain_ignores_case_curly_quotes_and_spacing():
    assert composer.plain("I’d  be\nGlad") == "i'd be glad"
