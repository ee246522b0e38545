"""Snooze choices: an hour, tomorrow or next week, in the user's zone at their digest hour."""

import datetime as dt

import pytest

from invitations.followups.snoozes import snooze_until

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
# A Friday, 09:00 UTC: 10:00 in Berlin, 04:00 in New York.
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_snooze_choices_are_in_the_users_zone_at_their_digest_hour(alice, bob):
    assert snooze_until("hour", now=NOW, profile=alice.profile) == NOW + dt.timedelta(hours=1)
    # Berlin is UTC+1 in November: tomorrow 08:00 local is 07:00 UTC.
    assert snooze_until("tomorrow", now=NOW, profile=alice.profile) == dt.datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    assert snooze_until("next_week", now=NOW, profile=alice.profile) == dt.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    # In New York it is still Friday 04:00; bob reads his digest at 07:00 local (12:00 UTC).
    bob.profile.digest_hour = 7
    assert snooze_until("tomorrow", now=NOW, profile=bob.profile) == dt.datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_the_week_starts_on_monday_even_from_a_sunday(alice):
    sunday_evening = dt.datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    assert snooze_until("next_week", now=sunday_evening, profile=alice.profile) == dt.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def test_an_unknown_snooze_choice_is_refused(alice):
    with pytest.raises(ValueError, match="'forever' is not a snooze choice"):
        snooze_until("forever", now=NOW, profile=alice.profile)
