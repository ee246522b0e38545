"""The calendar feed, parsed back with icalendar: deadlines, interviews with an alarm, follow-ups, stable UIDs."""

import datetime as dt

import pytest
from icalendar import Calendar

from invitations.answers.respond import respond
from invitations.followups.lifecycle import open_followup, snooze
from invitations.intake.log import log_invitation
from invitations.models import FollowUpKind
from invitations.workspace.calendar import calendar_for, feed_owner, feed_token, replace_token

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
UTC = dt.timezone.utc


def events(owner, now):
    calendar = Calendar.from_ical(calendar_for(owner, now=now))
    return calendar, {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


@pytest.fixture
def world(alice, now):
    open_one = log_invitation(alice, now=now, client="Acme", title="Django API", received_at=now - H)
    accepted = log_invitation(alice, now=now, client="Nordlight", title="Search", received_at=now - 2 * D)
    respond(accepted, now=now - D, action="accept", interview_at=now + 2 * D)
    declined = log_invitation(alice, now=now, client="Maya", title="Shop", received_at=now - 3 * D,
                              referred_by="Rita")
    respond(declined, now=now - 2 * D, action="decline", busy_until=(now + 9 * D).date())
    custom, _ = open_followup(alice, FollowUpKind.CUSTOM, now=now, due_at=now + 5 * D, client=open_one.client,
                              note="Send the deck")
    return {"open": open_one, "accepted": accepted, "declined": declined, "custom": custom}


def test_the_feed_names_the_users_zone_and_gives_every_time_in_utc(alice, world, now):
    calendar, found = events(alice, now)

    assert calendar["x-wr-timezone"] == "Europe/Berlin"
    assert calendar["version"] == "2.0" and "noghost" in calendar["prodid"]
    for event in found.values():
        assert event["dtstart"].dt.tzinfo is not None and event["dtstart"].dt.utcoffset() == dt.timedelta(0)
    assert b"DTSTART:" in calendar.to_ical() and b"TZID" not in calendar.to_ical()


def test_deadlines_interviews_and_follow_ups_each_link_back(alice, world, now):
    _, found = events(alice, now)
    open_one, accepted, declined = world["open"], world["accepted"], world["declined"]
    reconnect = declined.followups.get(kind=FollowUpKind.RECONNECT)
    referrer = declined.followups.get(kind=FollowUpKind.NOTIFY_REFERRER)

    assert set(found) == {f"reply-{open_one.pk}", f"interview-{accepted.pk}", f"followup-{reconnect.pk}",
                          f"followup-{referrer.pk}", f"followup-{world['custom'].pk}"}
    deadline = found[f"reply-{open_one.pk}"]
    assert (str(deadline["summary"]), deadline["dtstart"].dt) == ("Reply to Acme: Django API", open_one.reply_by)
    assert str(deadline["url"]) == f"https://noghost.test/invitations/{open_one.pk}/respond/"
    assert str(found[f"followup-{reconnect.pk}"]["url"]) == f"https://noghost.test/followups/{reconnect.pk}/reconnect/"
    assert str(found[f"followup-{reconnect.pk}"]["summary"]) == "Reconnect with Maya"
    assert str(found[f"followup-{referrer.pk}"]["summary"]) == "Tell Rita what happened"
    assert "Send the deck" in str(found[f"followup-{world['custom'].pk}"]["description"])


def test_an_accepted_interview_lasts_an_hour_with_an_alarm_an_hour_before(alice, world, now):
    _, found = events(alice, now)
    interview = found[f"interview-{world['accepted'].pk}"]

    assert (interview["dtstart"].dt, interview["dtend"].dt) == (now + 2 * D, now + 2 * D + H)
    (alarm,) = interview.walk("VALARM")
    assert (str(alarm["action"]), alarm["trigger"].dt) == ("DISPLAY", -H)


def test_uids_are_stable_and_an_answered_deadline_is_gone_at_the_next_refresh(alice, world, now):
    _, before = events(alice, now)
    respond(world["open"], now=now + H, action="decline", reason="not_a_fit")
    _, after = events(alice, now + 2 * H)

    assert f"reply-{world['open'].pk}" not in after
    assert set(after) < set(before)
    assert all(after[uid]["dtstart"].dt == before[uid]["dtstart"].dt for uid in after)


def test_a_snoozed_follow_up_falls_when_its_snooze_ends(alice, world, now):
    snooze(world["custom"], until=now + 7 * D, now=now)
    _, found = events(alice, now)
    assert found[f"followup-{world['custom'].pk}"]["dtstart"].dt == now + 7 * D


def test_the_feed_is_the_owners_alone(alice, bob, world, now):
    log_invitation(bob, now=now, client="Bob's client", title="Bob's job", received_at=now - H)
    _, found = events(bob, now)
    assert [str(event["summary"]) for event in found.values()] == ["Reply to Bob's client: Bob's job"]


def test_a_replaced_token_opens_nothing(alice, now):
    assert feed_token(alice) is None
    first = replace_token(alice, now=now)
    assert feed_owner(first) == alice and feed_token(alice) == first
    second = replace_token(alice, now=now)

    assert second != first and len(second) >= 40
    assert (feed_owner(first), feed_owner(second)) == (None, alice)
    assert feed_owner("") is None and feed_owner("x" * 43) is None
