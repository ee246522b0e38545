"""One CSV row's cells read as the values noghost stores: every problem named by its field.

Choices are read from their value or their label, any case (the export writes labels: "Upwork",
"Declined", "Busy: fully booked for now"); times from the export's "2026-11-23 09:00 CET" or
ISO 8601. A time without an offset is in the row's own zone (the export writes it in the
"time zone" column, so another account's export reads right) or else the user's.
"""

import datetime as dt
import re

from invitations.clock import UTC, parse_date, parse_when, zone_named
from invitations.imports.columns import restore_cell
from invitations.models import Channel, DeclineReason, Platform, Status
from invitations.text import fold

# What other trackers call the same thing.
STATUS_WORDS = {"pending": Status.OPEN, "new": Status.OPEN, "invited": Status.OPEN, "rejected": Status.DECLINED,
                "passed": Status.DECLINED, "interviewing": Status.ACCEPTED, "cancelled": Status.WITHDRAWN,
                "canceled": Status.WITHDRAWN}
CHANNEL_WORDS = {"phone": Channel.PHONE, "call": Channel.PHONE, "message": Channel.PLATFORM}
EXPORTED_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?) ([A-Za-z]{2,6}|[+-]\d{2}(?:\d{2})?)")
FREE_TEXT = ("title", "message", "notes", "url", "company", "email", "phone", "client", "referred_by")


def choice(choices, words=None):
    """A reader of `choices` (value or label, any case and accent), with extra `words` known."""
    known = {fold(value).strip(): value for value in choices.values}
    known.update({fold(label).strip(): value for value, label in choices.choices})
    known.update({fold(word).strip(): value for word, value in (words or {}).items()})
    names = ", ".join(label for _, label in choices.choices)

    def read(text, zone):
        if not text:
            return ""
        found = known.get(fold(text).strip())
        if found is None:
            raise ValueError(f"“{text}” is not one noghost knows; use one of: {names}.")
        return found

    return read


def moment(text, zone):
    """A date-time: the export's "2026-11-23 09:00 CET" (the abbreviation tells a DST change's two
    09:00s apart) or ISO 8601; None when empty."""
    if not text:
        return None
    exported = EXPORTED_TIME.fullmatch(text)
    if exported is None:
        return parse_when(text, zone)
    naive = dt.datetime.fromisoformat(f"{exported[1]}T{exported[2]}")
    abbreviation = exported[3]
    if abbreviation in ("UTC", "GMT"):
        return naive.replace(tzinfo=UTC)
    for fold_ in (0, 1):
        local = naive.replace(tzinfo=zone, fold=fold_)
        if local.tzname() == abbreviation:
            return local.astimezone(UTC)
    raise ValueError(
        f"“{abbreviation}” is not an abbreviation of {zone.key}; add the zone the file was written in as a "
        "“time zone” column, or give the time with its offset, such as 2026-11-23T09:00+01:00"
    )


def day(text, zone):
    return parse_date(text) if text else None


def number(text, zone):
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"“{text}” is not an id (a whole number).")
    return int(text)


def plain(text, zone):
    return text


READERS = {
    "id": number, "platform": choice(Platform), "status": choice(Status, STATUS_WORDS),
    "channel": choice(Channel, CHANNEL_WORDS), "reason": choice(DeclineReason),
    "received": moment, "reply_by": moment, "responded": moment, "interview_at": moment, "busy_until": day,
    **{field: plain for field in FREE_TEXT},
}


def read_row(cells, zone):
    """(values, problems): each field's value, and {field: reason} for those that could not be read.

    `zone` is the user's; a "time zone" cell, when the file has one, is the zone of the row's times.
    """
    values, problems = {}, {}
    named = (cells.get("zone") or "").strip()
    if named:
        try:
            zone = zone_named(named)
        except ValueError as exc:
            problems["zone"] = f"{exc}."
    for field, reader in READERS.items():
        raw = restore_cell(cells.get(field, ""))
        text = raw.strip("\r\n") if field in ("message", "notes") else raw.strip()
        try:
            values[field] = reader(text, zone)
        except ValueError as exc:
            problems[field] = str(exc).rstrip(".") + "."
    if not problems:
        problems.update(_order_problems(values))
    return values, problems


def _order_problems(values):
    """Times that contradict each other, which neither intake nor answers checks on its own."""
    received, responded = values["received"], values["responded"]
    if received and responded and responded < received:
        return {"responded": "The answer is dated before the invitation was received."}
    if responded and values["status"] in ("", Status.OPEN):
        return {"status": "An answer time is given but the status is open; give the answer (accepted, declined, "
                          "withdrawn) or leave the time empty."}
    return {}
