"""python manage.py backup PATH: a consistent snapshot of the database, safe while noghost runs."""

from invitations.maintenance.backup import backup
from invitations.management.snapshot import SnapshotCommand


class Command(SnapshotCommand):
    help = (
        "Write a snapshot of the whole database to PATH: an SQLite file (online backup API) on SQLite, "
        "an XML dump taken in one transaction elsewhere. Restore it with `manage.py restore PATH`."
    )

    def handle(self, *args, path, **opts):
        self.carry_out(backup, path, done="Backed up the database to")
