"""fold: the form search compares, the same for what is stored and what is typed."""

import pytest

from invitations.text import fold


@pytest.mark.parametrize("texts, folded", [
    (("Crème brûlée",), "creme brulee"),
    (("ZOË", "Müller-Lüdenscheidt"), "zoe muller ludenscheidt"),
    (("Straße",), "strasse"),
    (("a@b.example, +49 (30)",), "a b example 49 30"),
    (("", None, "  "), ""),
])
def test_fold_lowercases_strips_accents_and_keeps_only_words(texts, folded):
    assert fold(*texts) == folded
