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
    return check_busy_until(today + relativedelta(**{f"{unit}s": count}), today=today)


def check_busy_until(day, *, today):
    """`day` if it can end a busy period that starts today, else a ValueError saying why."""
    if day < today:
        raise ValueError(f"{day:%Y-%m-%d} is in the past; give the last busy day, after today ({today:%Y-%m-%d})")
    if day == today:
        raise ValueError(f"{day:%Y-%m-%d} is today, an empty period; give the last busy day, after today")
    if day > today + LONGEST:
        raise ValueError(f"{day:%Y-%m-%d} is more than five years away; give the last busy day")
    return day
