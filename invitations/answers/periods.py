"""Busy periods: "3 weeks" or a date, turned into the last busy day. Pure: `today` is given.

`today` is the user's local date; the result is a local date too (Invitation.busy_until).
A period must end after today (an empty, zero or negative one promises nothing) and within
five years (further than that is a typo, and far enough to overflow a date).
"""

import re

from dateutil.relativedelta import relativedelta

LONGEST = relativedelta(years=5)
PERIOD = re.compile(r"^([+-]?\d{1,6})\s*(day|week|month)s?$", re.IGNORECASE)
EXAMPLE = "such as '10 days', '3 weeks' or '2 months'"


def busy_until_after(text, *, today):
    """The last busy day of "N days|weeks|months" from today; month ends clamp (31 Jan + 1 month = 28/29 Feb)."""
    text = " ".join((text or "").split())
    if not text:
        raise ValueError(f"is empty; give a period {EXAMPLE}")
    match = PERIOD.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a period {EXAMPLE}")
    count, unit = int(match.group(1)), match.group(2).lower()
    if count <= 0:
        raise ValueError(f"{text!r} is an empty period; give at least 1 {unit}")
    if count > 5 * 400:  # no unit reaches five years with more than this; keep relativedelta in range
        raise ValueError(f"{text!r} is longer than five years")
    try:
        last = today + relativedelta(**{f"{unit}s": count})
    except OverflowError:  # past the year 9999: a period no calendar holds
        raise ValueError(f"{text!r} is longer than five years") from None
    return check_busy_until(last, today=today)


def check_busy_until(day, *, today):
    """`day` if it can end a busy period that starts today, else a ValueError saying why."""
    if day < today:
        raise ValueError(f"{day:%Y-%m-%d} is in the past; give the last busy day, after today ({today:%Y-%m-%d})")
    if day == today:
        raise ValueError(f"{day:%Y-%m-%d} is today, an empty period; give the last busy day, after today")
    if day > today + LONGEST:
        raise ValueError(f"{day:%Y-%m-%d} is more than five years away; give the last busy day")
    return day


NUMBERS = {word: n for n, word in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), start=1)}
MONTHS = "january february march april may june july august september october november december".split()
MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
UNTIL = re.compile(rf"\b(?:until|till|through|to)\s+(?:the\s+)?(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}"
                   rf"|{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?)\b", re.IGNORECASE)
FOR = re.compile(rf"\b(?:for|over)\s+(?:the\s+next\s+)?(\d{{1,3}}|a|an|{'|'.join(NUMBERS)})\s+(day|week|month)s?\b",
                 re.IGNORECASE)


def busy_period_in(text, *, today):
    """The last busy day a decline's own words state ("until 15 January", "for three weeks"), or None.

    A day without a year is its next coming; a period that check_busy_until() refuses is no period.
    """
    text = " ".join((text or "").split())
    for finder in (_stated_day, _stated_length):
        try:
            day = finder(text, today)
        except ValueError:
            day = None
        if day:
            return day
    return None


def _stated_day(text, today):
    found = UNTIL.search(text)
    if not found:
        return None
    day, month = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    number = next(n for n, name in enumerate(MONTHS, start=1) if name.startswith(month.lower()[:3]))
    candidate = today.replace(month=number, day=int(day)) if today.month <= number else None
    if candidate is None or candidate <= today:
        candidate = today.replace(year=today.year + 1, month=number, day=int(day))
    return check_busy_until(candidate, today=today)


def _stated_length(text, today):
    found = FOR.search(text)
    if not found:
        return None
    word = found.group(1).lower()
    count = int(word) if word.isdigit() else NUMBERS.get(word, 1)
    return busy_until_after(f"{count} {found.group(2)}", today=today)
