"""python manage.py import_invitations --user alice FILE [--dry-run] [--map FIELD=COLUMN ...]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from invitations.imports.apply import import_rows
from invitations.imports.columns import FIELDS, UnreadableFile, decode, guess_mapping, mapping_errors, read
from invitations.imports.plan import plan
from invitations.imports.writing import ImportRefused
from invitations.management.options import describe


class Command(BaseCommand):
    help = (
        "Import invitations from a CSV file: noghost's own export, or any CSV with a header row (its columns "
        "guessed from their names, or given with --map). Prints what would be created, what is here already and "
        "every bad row with its line and column; bad rows are left out. Everything is imported in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username of the freelancer.")
        parser.add_argument("file", metavar="FILE", help="The CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; write nothing.")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                            help=f"Read FIELD from the column named COLUMN (repeatable). Fields: {', '.join(FIELDS)}.")

    def handle(self, *args, **opts):
        user = get_user_model().objects.filter(username=opts["user"]).select_related("profile").first()
        if user is None:
            raise CommandError(f"--user: no user named {opts['user']!r}.")
        try:
            header, rows = read(decode(Path(opts["file"]).read_bytes()))
        except (OSError, UnreadableFile) as exc:
            raise CommandError(f"{opts['file']}: {exc}")
        mapping = self._mapping(header, opts["map"])
        now = timezone.now()
        preview = plan(user, header, rows, mapping, now=now)
        self._report(preview, mapping)
        if opts["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            done = import_rows(user, header, rows, mapping, now=now)
        except ImportRefused as refused:
            raise CommandError(str(refused))
        self.stdout.write(f"Imported {done.invitations} invitation(s), {done.answered} with their answer, and "
                          f"{done.new_clients} new client(s).")

    def _mapping(self, header, pairs):
        mapping = guess_mapping(header)
        for pair in pairs:
            field, _, column = pair.partition("=")
            if field not in FIELDS or not column:
                raise CommandError(f"--map: {pair!r} is not FIELD=COLUMN with one of the fields {', '.join(FIELDS)}.")
            mapping[field] = column
        errors = mapping_errors(mapping, header)
        if errors:
            raise CommandError(describe(errors, {field: f"--map {field}" for field in FIELDS}))
        return mapping

    def _report(self, preview, mapping):
        self.stdout.write("Columns: " + ", ".join(f"{field}={column!r}" for field, column in mapping.items()))
        self.stdout.write(f"New invitations: {len(preview.create)}; new clients: {len(preview.new_clients)}; "
                          f"here already: {len(preview.matched)}; bad rows: {preview.bad_lines}.")
        for bad in preview.bad:
            self.stdout.write(f"  line {bad.line}, column {bad.column!r}: {bad.reason}")
