"""python manage.py restore PATH: put back a snapshot written by `manage.py backup`."""

from django.core.management.base import CommandError

from invitations.maintenance.backup import restore
from invitations.management.snapshot import SnapshotCommand


class Command(SnapshotCommand):
    help = (
        "Replace EVERY row of the database with the snapshot at PATH (from `manage.py backup`). "
        "PATH is checked first (noghost's tables, the same migrations as this database, whole and "
        "readable); if anything is wrong, nothing changes. "
        "Stop the web server and the worker first; asks for confirmation unless --no-input."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, path, interactive, **opts):
        if interactive and input(f"Replace the whole database with {path}? Type 'yes': ") != "yes":
            raise CommandError("Restore cancelled; nothing changed.")
        self.carry_out(restore, path, done="Restored the database from")
