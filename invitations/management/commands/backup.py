"""python manage.py backup PATH: a consistent snapshot of the database, safe while noghost runs."""

from invitations.maintenance.backup import backup
from invitations.management.snapshot import SnapshotCommand


class Command(SnapshotCommand):
    help = (
        "Write a snapshot of the whole database to PATH: an SQLite file (online backup API) on SQLite, "
        "noghost's JSON lines dump taken in one transaction elsewhere. It is written beside PATH and "
        "replaces it only once complete and read back, so a failed backup leaves the last good one. "
        "Restore it with `manage.py restore PATH`."
    )

    def handle(self, *args, path, **opts):
        self.carry_out(backup, path, done="Backed up the database to")
