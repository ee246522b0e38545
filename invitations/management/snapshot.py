"""What the backup and restore commands share: one PATH, and any failure as a one-line error."""

from django.core.management.base import BaseCommand, CommandError


class SnapshotCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("path", help="The snapshot file.")

    def carry_out(self, action, path, *, done):
        """Run backup() or restore() on `path`; a missing file, a bad one or a full disk is one line."""
        try:
            kind = action(path)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"{done} {path} ({kind}).")
