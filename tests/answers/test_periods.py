"""Busy periods: "N days|weeks|months" or a date, ending after today and within five years."""

import datetime as dt

import pytest

from invitations.answers.periods import busy_until_after, check_busy_until

D = dt.date


@pytest.mark.parametrize("text, today, expected", [
    ("10 days", D(2026, 11, 20), D(2026, 11, 30)),
    ("1 day", D(2026, 12, 31), D(2027, 1, 1)),
    ("3 weeks", D(2026, 11, 20), D(2026, 12, 11)),
    ("1 week", D(2026, 11, 20), D(2026, 11, 27)),
    ("2 months", D(2026, 11, 20), D(2027, 1, 20)),
    ("1 month", D(2027, 1, 31), D(2027, 2, 28)),  # month end clamps
    ("1 month", D(2028, 1, 31), D(2028, 2, 29)),  # leap year
    ("1 month", D(2026, 3, 31), D(2026, 4, 30)),
    ("  3   WEEKS ", D(2026, 11, 20), D(2026, 12, 11)),
    ("3weeks", D(2026, 11, 20), D(2026, 12, 11)),
    ("60 months", D(2026, 11, 20), D(2031, 11, 20)),
])
def test_period_ends_on_its_last_day(text, today, expected):
    assert busy_until_after(text, today=today) == expected


@pytest.mark.parametrize("text, says", [
    ("", "is empty"),
    ("   ", "is empty"),
    (None, "is empty"),
    ("0 weeks", "empty period"),
    ("-2 days", "empty period"),
    ("three weeks", "not a period"),
    ("3 fortnights", "not a period"),
    ("3", "not a period"),
    ("61 months", "more than five years"),
    ("999999 months", "longer than five years"),
    ("1.5 weeks", "not a period"),
])
def test_bad_periods_are_refused_with_a_reason(text, says):
    with pytest.raises(ValueError, match=says):
        busy_until_after(text, today=D(2026, 11, 20))


def test_busy_until_must_be_after_today():
    today = D(2026, 11, 20)
    assert check_busy_until(D(2026, 11, 21), today=today) == D(2026, 11, 21)
    with pytest.raises(ValueError, match="in the past"):
        check_busy_until(D(2026, 11, 19), today=today)
    with pytest.raises(ValueError, match="is today"):
        check_busy_until(today, today=today)
