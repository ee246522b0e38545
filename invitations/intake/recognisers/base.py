"""What every recogniser shares: the Recognition it returns, and the engine that reads a platform's wording.

A platform's module is data: who sends its mail, the phrases of its invitations, of its
withdrawals and of its other mail, and where each field stands. Every pattern is matched against
"Subject: <subject>" followed by the text, case-insensitive and line by line (^ and $ are a
line's ends), so a pattern can name the subject line or a phrase of the body alike; a field's
pattern captures it as the group `value`.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from invitations.clock import parse_written
from invitations.intake.reading import one_line

INVITATION, WITHDRAWAL, OTHER, UNKNOWN = "invitation", "withdrawal", "other", "unknown"
RELATIVE = re.compile(r"(?:in|within)?\s*(\d{1,3})\s*(hour|day|week|heure|jour|semaine|stunde|tag|woche)", re.I)
UNITS = {"hour": "hours", "heure": "hours", "stunde": "hours", "day": "days", "jour": "days", "tag": "days",
         "week": "weeks", "semaine": "weeks", "woche": "weeks"}
LONGEST_WAIT = dt.timedelta(days=366)
TRACKING = re.compile(r"^(utm_|mc_|trk|ref|source|medium|campaign|e=|_hs)", re.I)
LIMITS = {"client": 200, "company": 200, "title": 200}
SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3})\.$")  # "Acme Ltd." loses its full stop, "S.L." keeps it
# After a label ("Message from the client:"): the paragraph that follows, blank lines before it skipped.
PARAGRAPH = r"[ \t]*\n\s*(?P<value>(?:[^\n]+\n)*[^\n]+)"


def patterns(*texts):
    return tuple(re.compile(text, re.IGNORECASE | re.MULTILINE) for text in texts)


@dataclass
class Recognition:
    """What a recogniser made of a message: its kind, the platform, the fields, and how sure it is.

    Sure means the platform's own invitation wording matched and the client and the title were
    found; anything less goes to the review inbox with what was found.
    """

    recogniser: str
    kind: str
    platform: str = ""
    reason: str = ""  # OTHER: what the mail is ("job alert"); else what is missing or odd
    fields: dict = field(default_factory=dict)  # client, company, email, title, url, reply_by, notes
    wording: bool = False

    @property
    def sure(self):
        return self.kind == INVITATION and self.wording and all(self.fields.get(f) for f in ("client", "title"))

    @property
    def confidence(self):
        """The share of what makes a sure match that was found: the wording, client, title, link."""
        if self.kind != INVITATION:
            return 1.0 if self.kind in (OTHER, WITHDRAWAL) else 0.0
        found = [self.wording, *(bool(self.fields.get(f)) for f in ("client", "title", "url"))]
        return round(sum(found) / len(found), 2)


@dataclass(frozen=True)
class Wording:
    """One platform's mail: its senders' domains and the patterns of each kind and field."""

    name: str
    platform: str
    senders: tuple
    invitation: tuple = ()
    withdrawal: tuple = ()
    other: tuple = ()  # (what it is, pattern, ...) tuples: job alerts, receipts, newsletters...
    client: tuple = ()
    company: tuple = ()
    title: tuple = ()
    deadline: tuple = ()
    message: tuple = ()
    url: str = ""  # the job's or invitation's link

    def knows(self, reading):
        domain = reading.sender.rpartition("@")[2]
        return any(domain == sender or domain.endswith("." + sender) for sender in self.senders)

    def recognise(self, reading, *, received_at, zone):
        haystack = f"Subject: {reading.subject}\n{reading.text}"
        recognition = Recognition(self.name, UNKNOWN, self.platform)
        recognition.fields = self.extract(haystack, reading.links, received_at=received_at, zone=zone)
        if any(p.search(haystack) for p in self.withdrawal):
            recognition.kind = WITHDRAWAL
            return recognition
        for reason, *candidates in self.other:
            if any(p.search(haystack) for p in candidates):
                recognition.kind, recognition.reason = OTHER, reason
                return recognition
        if any(p.search(haystack) for p in self.invitation):
            recognition.kind, recognition.wording = INVITATION, True
        return recognition

    def extract(self, haystack, links, *, received_at, zone):
        found = {name: first(getattr(self, name), haystack, LIMITS[name]) for name in LIMITS}
        found["url"] = job_link(links, self.url)
        found["notes"] = first(self.message, haystack, 2000, multiline=True)
        stated = first(self.deadline, haystack, 200)
        found["reply_by"] = stated_reply_by(stated, received_at, zone) if stated else None
        return {name: value for name, value in found.items() if value}


def first(candidates, haystack, limit, *, multiline=False):
    """The `value` group of the first pattern that matches, tidied; "" when none does."""
    for pattern in candidates:
        match = pattern.search(haystack)
        if match and match.group("value").strip():
            value = match.group("value").strip().strip("\"'“”„«»").strip()
            if multiline:
                return "\n".join(line.strip() for line in value.splitlines()).strip()[:limit]
            return SENTENCE_END.sub("", one_line(value, limit).rstrip(",;:"))
    return ""


def job_link(links, pattern):
    """The first link that is the platform's job or invitation page, without tracking parameters."""
    if not pattern:
        return ""
    wanted = re.compile(pattern, re.IGNORECASE)
    for link in links:
        if wanted.search(link):
            return canonical(link)[:500]
    return ""


def canonical(link):
    """A link as the same job's other mails will give it: no fragment, no tracking parameters."""
    parts = urlsplit(link)
    kept = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(key)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(kept), ""))


def stated_reply_by(text, received_at, zone):
    """A stated deadline ("December 3, 2026", "within 48 hours") as a UTC moment after the
    invitation arrived and within a year of it, else None (the user's reply window applies).
    A date without a time means the end of that day, in the user's zone."""
    relative = RELATIVE.search(text)
    if relative and not re.search(r"\d{4}", text):
        moment = received_at + dt.timedelta(**{UNITS[relative.group(2).lower()]: int(relative.group(1))})
    else:
        local = received_at.astimezone(zone)
        moment = parse_written(text, zone, default=dt.datetime(local.year, local.month, local.day, 23, 59))
    if moment is None or not received_at < moment <= received_at + LONGEST_WAIT:
        return None
    return moment
