"""Carrying out a previewed import: every new invitation logged and answered, in one transaction.

The rows are planned again inside the transaction (the database may have changed since the
preview), then written by imports.writing as log_invitation and respond would write them, so
every rule holds (reply-by from the reply window, the `reply` follow-up, reconnects for stated
busy periods, the contact rule, an AnswerEvent per answer). Lines go in the order they arrived,
so contacts close what they should. A line refused after all undoes the whole import.
"""

from dataclasses import dataclass

from django.db import transaction

from invitations.imports.plan import plan
from invitations.imports.writing import Writer


@dataclass(frozen=True)
class Imported:
    invitations: int
    answered: int
    new_clients: int
    matched: int
    bad: int


def import_rows(owner, header, rows, mapping, *, now):
    """Plan the rows again and import the new ones, skipping the bad rows and those here already.
    Returns Imported; raises writing.ImportRefused (nothing imported) for a line refused now."""
    with transaction.atomic():
        preview = plan(owner, header, rows, mapping, now=now)
        lines = sorted(preview.create, key=lambda line: (line.values["received"] or now, line.line))
        writer = Writer(owner, now=now)
        for line in lines:
            writer.add(line)
        writer.finish()
    return Imported(len(lines), writer.answered, writer.new_clients, len(preview.matched), preview.bad_lines)
