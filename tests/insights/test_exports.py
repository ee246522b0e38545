"""neutralise: a cell a spreadsheet would run as a formula is exported as text."""

import pytest

from invitations.insights.exports import neutralise


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Acme = good", "Acme = good"), ("", ""), (None, ""), (42, "42"),
])
def test_neutralise_defuses_spreadsheet_formulas(cell, safe):
    assert neutralise(cell) == safe
