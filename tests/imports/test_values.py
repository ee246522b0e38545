"""A row's cells as values: labels or values any case, the export's times, every problem by field."""

import datetime as dt
import zoneinfo

import pytest

from invitations.imports.values import moment, read_row

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.timezone.utc


@pytest.mark.parametrize("text, expected", [
    ("2026-11-23 09:00 CET", dt.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
    ("2026-07-01 09:00 CEST", dt.datetime(2026, 7, 1, 7, 0, tzinfo=UTC)),
    # The morning clocks go back: 02:30 happens twice, and the abbreviation says which.
    ("2026-10-25 02:30 CEST", dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ("2026-10-25 02:30 CET", dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ("2026-11-23 09:00 UTC", dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)),
    ("2026-11-23T09:00+01:00", dt.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
    ("2026-11-23 09:00", dt.datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),  # no offset: the user's zone
    ("", None),
])
def test_times_in_the_exports_form_or_iso(text, expected):
    assert moment(text, BERLIN) == expected


def test_another_zones_abbreviation_is_refused_with_what_to_do():
    with pytest.raises(ValueError, match="not an abbreviation of Europe/Berlin.*offset"):
        moment("2026-11-23 09:00 EST", BERLIN)


def cells(**given):
    return {"client": "Acme", **given}


def test_choices_are_read_from_labels_or_values_in_any_case():
    values, problems = read_row(cells(platform="UPWORK", status="Declined", channel="platform message",
                                      reason="Busy: fully booked for now", busy_until="2026-12-31"), BERLIN)
    assert problems == {}
    assert (values["platform"], values["status"], values["channel"], values["reason"]) == (
        "upwork", "declined", "platform", "busy")
    assert values["busy_until"] == dt.date(2026, 12, 31)
    assert read_row(cells(status="Rejected"), BERLIN)[0]["status"] == "declined"  # another tracker's word


def test_each_unreadable_cell_is_a_problem_of_its_field():
    _, problems = read_row(cells(platform="MySpace", received="last Tuesday", busy_until="soon", id="x1"), BERLIN)
    assert set(problems) == {"platform", "received", "busy_until", "id"}
    assert "Upwork" in problems["platform"] and "ISO 8601" in problems["received"]


def test_an_answer_before_the_invitation_or_without_a_status_is_a_problem():
    _, problems = read_row(cells(received="2026-11-23 09:00", responded="2026-11-22 09:00", status="accepted"),
                           BERLIN)
    assert "before the invitation" in problems["responded"]
    _, problems = read_row(cells(responded="2026-11-22 09:00"), BERLIN)
    assert "status" in problems


def test_the_rows_own_zone_reads_another_accounts_export_right():
    values, problems = read_row(cells(received="2026-11-23 09:00 EST", zone="America/New_York"), BERLIN)
    assert problems == {} and values["received"] == dt.datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert "zone" in read_row(cells(zone="Mars/Olympus"), BERLIN)[1]
