"""Pure time helpers: typed dates, zones and DST."""

import datetime as dt
import zoneinfo

import pytest

from invitations.clock import at_local_hour, format_local, local_date, parse_date, parse_when, parse_written, zone_named

UTC = dt.timezone.utc
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_parse_when_reads_naive_times_in_the_given_zone():
    assert parse_when("2026-07-01T09:00", BERLIN) == dt.datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert parse_when("2026-12-01T09:00", BERLIN) == dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_parse_when_keeps_an_explicit_offset():
    assert parse_when("2026-07-01T09:00Z", BERLIN) == dt.datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "tomorrow", "2026-02-30T10:00", "10:00 next week"])
def test_parse_when_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_when(text, BERLIN)


def test_parse_date():
    assert parse_date("2026-12-31") == dt.date(2026, 12, 31)
    with pytest.raises(ValueError, match="is not a date"):
        parse_date("31/12/2026")


def test_local_date_crosses_midnight_by_zone():
    moment = dt.datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert local_date(moment, BERLIN) == dt.date(2026, 11, 21)
    assert local_date(moment, NEW_YORK) == dt.date(2026, 11, 20)


def test_at_local_hour_follows_dst():
    assert at_local_hour(dt.date(2026, 3, 28), 8, BERLIN) == dt.datetime(2026, 3, 28, 7, tzinfo=UTC)
    assert at_local_hour(dt.date(2026, 3, 29), 8, BERLIN) == dt.datetime(2026, 3, 29, 6, tzinfo=UTC)


def test_at_local_hour_in_a_spring_forward_gap_lands_after_it():
    # 02:00 does not exist in New York on 2026-03-08; it becomes 03:00 EDT.
    assert at_local_hour(dt.date(2026, 3, 8), 2, NEW_YORK) == dt.datetime(2026, 3, 8, 7, tzinfo=UTC)


def test_format_local_names_the_zone():
    assert format_local(dt.datetime(2026, 11, 21, 9, tzinfo=UTC), BERLIN) == "2026-11-21 10:00 CET"


def test_zone_named_refuses_unknown_zones():
    assert zone_named("Pacific/Auckland").key == "Pacific/Auckland"
    with pytest.raises(ValueError, match="not a known IANA time zone"):
        zone_named("Mars/Olympus")


@pytest.mark.parametrize("text, expected", [
    ("Mon, Nov 16, 2026 at 9:12 AM", "2026-11-16T08:12"),  # Gmail's forward line, in the user's zone
    ("16 November 2026 at 09:12:00 CET", "2026-11-16T08:12"),  # Apple Mail
    ("November 16, 2026 at 9:12:00 AM GMT+1", "2026-11-16T08:12"),  # an hour east, as mail means it
    ("Mi., 18. Nov. 2026 um 11:20 Uhr", "2026-11-18T10:20"),  # German Gmail
    ("27 novembre 2026", "2026-11-26T23:00"),  # French, midnight in Berlin by default
])
def test_parse_written_reads_dates_as_mail_writes_them(text, expected):
    moment = parse_written(text, BERLIN)
    assert moment == dt.datetime.fromisoformat(expected).replace(tzinfo=dt.timezone.utc)


def test_parse_written_finds_nothing_in_words():
    assert parse_written("nothing here", dt.timezone.utc) is None
    assert parse_written("", dt.timezone.utc) is None
