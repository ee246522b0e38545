"""Checks every free text gets before it reaches the database, whichever way it came in."""

from django.db import models

NUL_ERROR = "Null characters are not allowed."


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
