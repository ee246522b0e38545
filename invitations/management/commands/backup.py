"""python manage.py backup PATH: a consistent snapshot of the database, safe while noghost runs."""

from django.core.management.base import BaseCommand

from invitations.maintenance.backup import backup


class Command(BaseCommand):
    help = (
        "Write a snapshot of the whole database to PATH: an SQLite file (online backup API) on SQLite, "
        "an XML dump taken in one transaction elsewhere. Restore it with `manage.py restore PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **opts):
        kind = backup(path)
        self.stdout.write(f"Backed up the database to {path} ({kind}).")
