"""Reading a CSV and guessing which column is what."""

import pytest

from invitations.imports.columns import (
    UnreadableFile,
    decode,
    guess_mapping,
    is_noghost_export,
    mapping_errors,
    read,
    restore_cell,
)
from invitations.insights.exports import INVITATION_HEADER


def test_noghost_export_maps_itself_whole():
    assert is_noghost_export(INVITATION_HEADER)
    mapping = guess_mapping(INVITATION_HEADER)
    assert mapping["client"] == "client" and mapping["email"] == "client email" and mapping["id"] == "id"
    assert mapping["reason"] == "decline reason" and mapping["url"] == "link" and mapping["reply_by"] == "reply by"
    assert len(set(mapping.values())) == len(mapping)


def test_a_job_trackers_columns_are_guessed_from_their_names_any_case():
    header = ["Company Name", "Position", "Date Applied", "Stage", "Job URL", "Comments", "Salary"]
    assert guess_mapping(header) == {
        "client": "Company Name", "title": "Position", "received": "Date Applied", "status": "Stage", "url": "Job URL",
        "notes": "Comments",
    }
    assert not is_noghost_export(header)


def test_semicolons_and_a_bom_and_blank_lines_are_read():
    header, rows = read(decode("\ufeffclient;title\r\n\r\nAcme;API\r\nNordlight\r\n".encode()))
    assert header == ["client", "title"]
    assert rows == [["Acme", "API"], ["Nordlight", ""]]


def test_an_old_excel_file_in_windows_1252_is_read():
    assert decode("client\nCafé Müller\n".encode("cp1252")) == "client\nCafé Müller\n"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b"\x00\x01binary", "not a text file"),
])
def test_a_file_that_is_not_a_csv_is_refused_with_the_reason(data, reason):
    with pytest.raises(UnreadableFile, match=reason):
        read(decode(data))


def test_a_mapping_needs_the_client_and_one_column_per_field():
    header = ["name", "what"]
    assert "client" in mapping_errors({"title": "what"}, header)
    assert "title" in mapping_errors({"client": "name", "title": "name"}, header)
    assert "title" in mapping_errors({"client": "name", "title": "nope"}, header)
    assert mapping_errors({"client": "name", "title": "what"}, header) == {}


@pytest.mark.parametrize("cell, restored", [
    ("'=SUM(A1)", "=SUM(A1)"), ("'+49 30", "+49 30"), ("'-5", "-5"), ("'@x", "@x"),
    ("'quoted'", "'quoted'"), ("plain", "plain"), ("", ""),
])
def test_the_exports_formula_guard_is_taken_off(cell, restored):
    assert restore_cell(cell) == restored
