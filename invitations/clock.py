"""Pure time helpers: parsing what people type, and moving between UTC and a user's zone.

No models and no clock reading here: every function is given the moments it works on.
"""

import datetime as dt
import re
import warnings
import zoneinfo

from dateutil import parser as dateutil_parser

UTC = dt.timezone.utc


def parse_when(text, zone):
    """An ISO 8601 date-time; one without an offset is taken in `zone` (the user's own)."""
    text = (text or "").strip()
    if not text:
        raise ValueError("is empty; give a date-time such as 2026-11-22T09:30")
    try:
        moment = dateutil_parser.isoparse(text)
    except (ValueError, OverflowError):
        raise ValueError(f"{text!r} is not an ISO 8601 date-time such as 2026-11-22T09:30 or 2026-11-22T09:30+01:00")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{text!r} is out of the range of dates noghost can store")


def parse_date(text):
    """An ISO 8601 calendar date (2026-12-31)."""
    text = (text or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date such as 2026-12-31")


def local_date(moment, zone):
    """The calendar date `moment` falls on in `zone`."""
    return moment.astimezone(zone).date()


def at_local_hour(day, hour, zone):
    """The UTC instant of `hour`:00 on `day` in `zone`, correct across DST changes.

    An hour skipped by a spring-forward change lands just after the gap (PEP 495, fold=0);
    an hour that happens twice in autumn is its first occurrence.
    """
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)


def format_local(moment, zone):
    """`moment` as the user reads it: 2026-11-23 09:00 CET."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def zone_named(name):
    """The ZoneInfo for an IANA name, or a ValueError that says what went wrong."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
        raise ValueError(f"{name!r} is not a known IANA time zone, such as Europe/Berlin")


# Zone abbreviations as mail writes them; dateutil knows none of them by itself.
ABBREVIATIONS = {
    "UTC": "UTC", "GMT": "UTC", "CET": "Europe/Paris", "CEST": "Europe/Paris", "BST": "Europe/London",
    "EST": "America/New_York", "EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "JST": "Asia/Tokyo", "IST": "Asia/Kolkata",
}


def parse_written(text, zone, *, default=None):
    """A date-time as people and mail write it ("Mon, Nov 16, 2026 at 9:12 AM", "3 December 2026,
    17:00 CET", "16 November 2026 at 09:12:00 GMT+1"), in UTC, or None when it holds none.

    One without a zone is in `zone`; what it leaves out comes from `default` (a naive datetime;
    midnight today otherwise). "GMT+1" means an hour east of Greenwich, as mail clients mean it
    (dateutil alone reads it the POSIX way round).
    """
    text = re.sub(r"\b(at|um|à|le)\b", " ", text or "")
    text = re.sub(r"\bGMT([+-])(\d{1,2})(?::?(\d\d))?\b", lambda m: f"{m[1]}{int(m[2]):02d}{m[3] or '00'}", text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unknown zone name is left out, read in `zone`
            moment = _WORDS.parse(text, default=default, tzinfos=_ZONES, fuzzy=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


class _MonthNames(dateutil_parser.parserinfo):
    """English month names, and the French and German ones (Malt writes French)."""

    MONTHS = [(*english, *others) for english, others in zip(dateutil_parser.parserinfo.MONTHS, [
        ("janvier", "janv", "Januar", "Jänner"), ("février", "fevrier", "févr", "Februar"), ("mars", "März", "Maerz"),
        ("avril", "avr"), ("mai",), ("juin", "Juni"), ("juillet", "juil", "Juli"), ("août", "aout"),
        ("septembre",), ("octobre", "Oktober"), ("novembre",), ("décembre", "decembre", "déc", "Dezember", "Dez"),
    ])]


_WORDS = dateutil_parser.parser(_MonthNames())
_ZONES = {name: zoneinfo.ZoneInfo(zone) for name, zone in ABBREVIATIONS.items()}
