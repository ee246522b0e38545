"""neutralise: a cell a spreadsheet would run as a formula is exported as text."""

import pytest

from invitations.insights.exports import neutralise


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Acme = good", "Acme = good"), ("", ""), (None, ""), (42, "42"),
    # after a separator a spreadsheet may split on, as at the start (spaces trimmed)
    ("x;=cmd|' /C calc'!A0", "x;'=cmd|' /C calc'!A0"), ("a, -2", "a,' -2"), ("x;\t=1", "x;'\t'=1"),
    ("x\n@SUM(A1)", "x\n'@SUM(A1)"), ("2026-11-20", "2026-11-20"),
])
def test_neutralise_defuses_spreadsheet_formulas(cell, safe):
    assert neutralise(cell) == safe
