"""Which recogniser reads a message: the platform whose senders it comes from, else the generic one.

A message that claims a platform's sender but whose receiving server found that claim false
(dkim, spf or dmarc "fail" in Authentication-Results) is read, but never logged without a look.
"""

import re

from invitations.intake.recognisers import (
    contra,
    fiverr,
    freelancer,
    generic,
    guru,
    linkedin,
    malt,
    peopleperhour,
    toptal,
    upwork,
)

PLATFORMS = [w.WORDING for w in (upwork, fiverr, linkedin, freelancer, toptal, contra, peopleperhour, guru, malt)]
FAILED_CHECK = re.compile(r"\b(dkim|spf|dmarc)=(fail|softfail)\b", re.IGNORECASE)


def recognise(reading, *, received_at, zone):
    """The Recognition of `reading` (the original, when it was forwarded)."""
    for wording in PLATFORMS:
        if wording.knows(reading):
            return wording.recognise(reading, received_at=received_at, zone=zone)
    return generic.recognise(reading, received_at=received_at, zone=zone)


def forged(reading):
    """Did the receiving server find the sender's domain claim false? ("" if not, else which check failed)."""
    found = FAILED_CHECK.search(reading.headers.get("authentication-results", ""))
    return found.group(1).upper() if found else ""
