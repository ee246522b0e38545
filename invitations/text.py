"""Checks every free text gets before it reaches the database, whichever way it came in, and the
folded form search compares."""

import re
import unicodedata

from django.db import models

NUL_ERROR = "Null characters are not allowed."
WORD = re.compile(r"\w+")


def has_nul(text):
    """PostgreSQL refuses NUL characters in text, even in a query's parameters (a DataError, not a
    validation error): every free text that reaches the database is checked for them first."""
    return "\x00" in (text or "")


def text_errors(instance):
    """What full_clean() leaves out: a TextField's max_length, and NUL characters (has_nul)."""
    errors = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        if has_nul(value):
            errors.setdefault(field.name, []).append(NUL_ERROR)
        if isinstance(field, models.TextField) and field.max_length and len(value) > field.max_length:
            errors.setdefault(field.name, []).append(
                f"Ensure this value has at most {field.max_length} characters (it has {len(value)})."
            )
    return errors


def fold(*texts):
    """The words of `texts`, lower-cased and without accents, one space between them ("cafe creme").

    What search compares (models' `search_text`, the words searched for): "Crème" finds "creme" and
    "CRÈME" alike on SQLite, where LIKE knows neither case beyond ASCII nor accents.
    """
    decomposed = unicodedata.normalize("NFKD", " ".join(text for text in texts if text).casefold())
    words = WORD.findall("".join(char for char in decomposed if not unicodedata.combining(char)))
    return " ".join(words)
