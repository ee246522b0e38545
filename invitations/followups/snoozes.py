"""Snoozing a follow-up to a moment people think in: an hour, tomorrow morning, next week.

"Morning" is the user's digest hour in their own zone, so a snoozed follow-up comes back with
the digest that lists it, not at 08:00 UTC.
"""

import datetime as dt

from invitations.clock import at_local_hour, local_date

# key -> label: the order the buttons appear in.
SNOOZE_CHOICES = {
    "hour": "1 hour",
    "tomorrow": "Tomorrow morning",
    "next_week": "Next week",
}


def snooze_until(choice, *, now, profile):
    """The moment a snooze `choice` ends, for `profile`'s zone and digest hour."""
    zone, hour = profile.zone, profile.digest_hour
    today = local_date(now, zone)
    if choice == "hour":
        return now + dt.timedelta(hours=1)
    if choice == "tomorrow":
        return at_local_hour(today + dt.timedelta(days=1), hour, zone)
    if choice == "next_week":
        monday = today + dt.timedelta(days=7 - today.weekday())
        return at_local_hour(monday, hour, zone)
    raise ValueError(f"{choice!r} is not a snooze choice; use one of: {', '.join(SNOOZE_CHOICES)}")
