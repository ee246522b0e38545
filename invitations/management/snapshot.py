"""What the backup and restore commands share: one PATH, and any failure as a one-line error."""

from django.core.management.base import CommandError

from invitations.management.options import CheckedCommand


class SnapshotCommand(CheckedCommand):
    not_text = {"path"}  # a file name may be any bytes
    def add_arguments(self, parser):
        parser.add_argument("path", help="The snapshot file.")

    def carry_out(self, action, path, *, done):
        """Run backup() or restore() on `path`; a missing file, a bad one or a full disk is one line."""
        try:
            kind = action(path)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"{done} {path} ({kind}).")
