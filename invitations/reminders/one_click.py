"""The one-click links a reminder carries for each item (docs/design.md, rule 16)."""

from invitations.answers.periods import busy_until_after
from invitations.clock import local_date


def usual_busy_until(profile, now):
    """The last day of the user's usual busy period from today: what "Decline as busy" offers
    (None if the period no longer reads: the reminder then goes without that link)."""
    try:
        return busy_until_after(profile.busy_period, today=local_date(now, profile.zone))
    except ValueError:
        return None
