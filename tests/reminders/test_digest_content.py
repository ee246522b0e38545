"""The digest's content: what it says, in the user's own day."""

import datetime as dt
import re

import pytest

from invitations.answers.respond import respond
from invitations.answers.withdrawals import withdraw
from invitations.followups.lifecycle import mark_done, snooze
from invitations.intake.log import log_invitation
from invitations.models import FollowUpKind, Invitation, Status
from invitations.reminders.digest_content import build_digest
from invitations.reminders.digests import render_digest
from tests.support.digest_factory import (
    DAY,
    HOUR,
    custom_followup,
    interview_at,
    invitation_due_in,
    overdue_invitation,
    reconnect_due,
)

pytestmark = pytest.mark.django_db

# 09:00 UTC is 10:00 in Berlin (alice) and 04:00 in New York (bob); both have digest_hour 8.
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


# What it says ------------------------------------------------------------------------------

def test_overdue_invitations_come_oldest_first_with_how_long_overdue(alice):
    recent = overdue_invitation(alice, NOW, by=5 * HOUR, title="Recent")
    oldest = overdue_invitation(alice, NOW, by=2 * DAY + 3 * HOUR, title="Oldest", client="Brightpath")

    content = build_digest(alice, now=NOW)

    assert [(i.title, i.when) for i in content.overdue] == [
        ("Oldest", "overdue 2 days, 3 hours"), ("Recent", "overdue 5 hours"),
    ]
    assert content.overdue[0].client == "Brightpath"
    assert content.overdue[0].url == f"https://noghost.test/invitations/{oldest.pk}/respond/"
    assert content.overdue[1].url == f"https://noghost.test/invitations/{recent.pk}/respond/"


def test_replies_due_are_those_within_the_next_24_hours(alice):
    invitation_due_in(alice, NOW, 3 * HOUR, title="In 3 hours")
    invitation_due_in(alice, NOW, 24 * HOUR, title="In a day")
    invitation_due_in(alice, NOW, 25 * HOUR, title="Tomorrow and later")

    content = build_digest(alice, now=NOW)

    assert [(i.title, i.when) for i in content.replies_due] == [
        ("In 3 hours", "reply by Fri 20 Nov, 13:00"), ("In a day", "reply by Sat 21 Nov, 10:00"),
    ]  # shown in alice's own zone (Berlin, UTC+1)
    assert content.overdue == []


def test_answered_invitations_are_not_listed(alice):
    invitation = overdue_invitation(alice, NOW)
    invitation.status, invitation.responded_at = Status.DECLINED, NOW
    invitation.save()

    assert build_digest(alice, now=NOW).overdue == []


def test_reconnects_due_today_link_to_the_drafted_message(alice):
    # 22:30 UTC is 23:30 in Berlin: still today; 23:30 UTC is tomorrow there.
    today = reconnect_due(alice, NOW.replace(hour=22, minute=30), note="Free from December")
    reconnect_due(alice, NOW.replace(hour=23, minute=30), client="Tomorrow Inc")
    earlier = reconnect_due(alice, NOW - 2 * DAY, client="Forgotten GmbH")

    content = build_digest(alice, now=NOW)

    assert [(i.client, i.when) for i in content.reconnects] == [
        ("Forgotten GmbH", "due since Wed 18 Nov"), ("Brightpath", "due today"),
    ]
    assert content.reconnects[1].url == f"https://noghost.test/followups/{today.pk}/reconnect/"
    assert content.reconnects[1].note == "Free from December"
    assert content.reconnects[0].url.endswith(f"/followups/{earlier.pk}/reconnect/")


def test_today_is_the_users_own_local_day(bob):
    # 09:00 UTC is 04:00 in New York: a reconnect at 06:00 UTC tomorrow is 01:00 there, tomorrow.
    reconnect_due(bob, NOW + DAY - 3 * HOUR)
    reconnect_due(bob, NOW + 14 * HOUR, client="Tonight")  # 23:00 UTC = 18:00 New York today

    assert [i.client for i in build_digest(bob, now=NOW).reconnects] == ["Tonight"]


def test_interviews_in_the_next_48_hours_soonest_first(alice):
    interview_at(alice, NOW + 30 * HOUR, title="Later")
    interview_at(alice, NOW + 2 * HOUR, title="Soon")
    interview_at(alice, NOW + 49 * HOUR, title="Too far")
    interview_at(alice, NOW + 3 * HOUR, title="Cancelled", status=Status.DECLINED)
    interview_at(alice, NOW - HOUR, title="Over")

    content = build_digest(alice, now=NOW)

    assert [(i.title, i.when) for i in content.interviews] == [
        ("Soon", "interview Fri 20 Nov, 12:00"), ("Later", "interview Sat 21 Nov, 16:00"),
    ]
    assert "/invitations/" in content.interviews[0].url


def test_other_followups_due_today_but_not_replies_twice(alice):
    overdue_invitation(alice, NOW)  # its reply follow-up is the overdue invitation itself
    custom = custom_followup(alice, NOW + 3 * HOUR, note="Send the portfolio")
    custom_followup(alice, NOW + DAY, client="Next week")

    content = build_digest(alice, now=NOW)

    assert [(i.title, i.client, i.note) for i in content.followups] == [("Other", "Quillstack", "Send the portfolio")]
    assert content.followups[0].url == f"https://noghost.test/clients/{custom.client_id}/"
    assert len(content.overdue) == 1


def test_snoozed_followups_and_snoozed_replies_are_left_out(alice):
    snooze(custom_followup(alice, NOW - HOUR), until=NOW + HOUR, now=NOW)
    snooze(reconnect_due(alice, NOW - HOUR), until=NOW + HOUR, now=NOW)
    snooze(overdue_invitation(alice, NOW).followups.get(), until=NOW + HOUR, now=NOW)

    assert not build_digest(alice, now=NOW).needs_attention
    assert build_digest(alice, now=NOW + 2 * HOUR).item_count == 3  # the snooze is over


def test_the_last_seven_days_in_numbers(alice):
    in_time = log_invitation(alice, now=NOW, client="A", received_at=NOW - 2 * DAY)
    late = log_invitation(alice, now=NOW, client="B", received_at=NOW - 3 * DAY)
    log_invitation(alice, now=NOW, client="C", received_at=NOW - 8 * DAY)  # before the week
    log_invitation(alice, now=NOW, client="D", received_at=NOW - HOUR)  # open
    in_time.status, in_time.responded_at = Status.DECLINED, NOW - 2 * DAY + HOUR
    late.status, late.responded_at = Status.ACCEPTED, NOW - DAY
    in_time.save(), late.save()
    made = reconnect_due(alice, NOW - 3 * DAY)
    mark_done(made, now=NOW - 2 * DAY)
    reconnect_due(alice, NOW - 9 * DAY, client="Long ago").__class__.objects.filter(
        kind=FollowUpKind.RECONNECT, due_at=NOW - 9 * DAY).update(done_at=NOW - 8 * DAY)

    week = build_digest(alice, now=NOW).week

    assert (week.received, week.answered, week.answered_in_time, week.declined, week.reconnects_made) == (3, 2, 1, 1, 1)


def test_withdrawn_invitations_are_not_answers_in_the_weeks_numbers(alice):
    noted = log_invitation(alice, now=NOW, client="A", received_at=NOW - 2 * DAY)  # reply-by NOW - DAY
    withdraw(Invitation.objects.filter(pk=noted.pk), now=NOW - 2 * DAY + HOUR)  # within its window
    on_the_page = log_invitation(alice, now=NOW, client="B", received_at=NOW - 3 * DAY)
    respond(on_the_page, now=NOW - 3 * DAY + HOUR, action="withdrawn")
    answered = log_invitation(alice, now=NOW, client="C", received_at=NOW - 3 * DAY)
    respond(answered, now=NOW - 3 * DAY + HOUR, action="decline", reason="rate")

    week = build_digest(alice, now=NOW).week

    assert (week.received, week.answered, week.answered_in_time, week.declined) == (3, 1, 1, 1)


def test_a_quiet_day_needs_no_attention(alice):
    invitation_due_in(alice, NOW, 3 * DAY)

    content = build_digest(alice, now=NOW)

    assert not content.needs_attention
    assert content.headline == "Nothing needs you today"


def test_the_subject_counts_what_needs_attention(alice):
    overdue_invitation(alice, NOW)
    invitation_due_in(alice, NOW, 2 * HOUR)
    invitation_due_in(alice, NOW, 3 * HOUR)
    reconnect_due(alice, NOW)

    rendered = render_digest(build_digest(alice, now=NOW))

    assert rendered.subject == "3 invitations need an answer today and 1 reconnect due"


def test_the_email_has_absolute_links_inline_styles_and_nothing_external(alice):
    invitation = overdue_invitation(alice, NOW, title="Django <API> & more")
    followup = reconnect_due(alice, NOW)

    rendered = render_digest(build_digest(alice, now=NOW))

    for body in (rendered.text, rendered.html):
        assert f"https://noghost.test/invitations/{invitation.pk}/respond/" in body
        assert f"https://noghost.test/followups/{followup.pk}/reconnect/" in body
        assert "https://noghost.test/" in body
    assert "Django <API> & more" in rendered.text
    assert "Django &lt;API&gt; &amp; more" in rendered.html
    assert not re.search(r"<img|<link|@import|<style|<script|url\(", rendered.html)
    assert 'name="viewport"' in rendered.html and "max-width:600px" in rendered.html
    assert all(href.startswith("https://noghost.test/") for href in re.findall(r'href="([^"]+)"', rendered.html))
