"""Checks every free text gets before it reaches the database, whichever way it came in, and the
folded form search compares.

One check (text_problem) for every form (forms/text.py applies it to each text field), every
command (management/options.py applies it to each argument) and the domain (text_errors), so
what one way in refuses, none lets through.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

NUL_ERROR = "Null characters are not allowed."
# Tab and line breaks are text; every other control character (Unicode's Cc) is noise a person
# cannot see or type on purpose (a pasted terminal escape, a form feed), and breaks what reads
# the text later (XML, terminals, spreadsheets).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE = re.compile("[\ud800-\udfff]")
WORD = re.compile(r"\w+")


def has_nul(text):
    """PostgreSQL refuses NUL characters in text, even in a query's parameters (a DataError, not a
    validation error): every free text that reaches the database is checked for them first."""
    return "\x00" in (text or "")


def text_problem(text):
    """What is wrong with `text` as text to store, or None: a NUL, another control character
    (tab and line breaks are fine), or a lone surrogate (bytes that were not UTF-8, as a shell
    hands them to Python)."""
    if not text:
        return None
    if has_nul(text):
        return NUL_ERROR
    if SURROGATE.search(text):
        return "This is not valid text: it holds bytes that are not UTF-8."
    control = CONTROL.search(text)
    if control:
        return f"Control characters such as U+{ord(control.group()):04X} are not allowed (tab and new lines are)."
    return None


def validate_text(text):
    """text_problem() as a Django validator, for form fields."""
    problem = text_problem(text)
    if problem:
        raise ValidationError(problem, code="text")


def text_errors(instance):
    """What full_clean() leaves out: a TextField's max_length, and text_problem() in every text field."""
    errors = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        problem = text_problem(value)
        if problem:
            errors.setdefault(field.name, []).append(problem)
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
