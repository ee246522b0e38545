"""Pure time helpers: parsing what people type, and moving between UTC and a user's zone.

No models and no clock reading here: every function is given the moments it works on.
"""

import datetime as dt
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
