"""python manage.py ingest_email --user alice [FILE]: one e-mail from FILE or standard input.

For .forward, procmail, fetchmail or a Postfix pipe, or a saved .eml. Prints what it did in one
line and exits 0 for every outcome of a readable message (needs review, not an invitation,
duplicate, even failed), so a mail pipe never bounces; non-zero only for a usage error.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from invitations.intake.capture import capture
from invitations.intake.outcomes import describe
from invitations.management.options import user_named


class Command(BaseCommand):
    help = (
        "Capture one e-mail (RFC 5322, as a mail system delivers it) for a user: stored first, then read; "
        "an invitation is logged, anything unsure waits in /inbox/. Prints one line; exits 0 whatever the message says."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username of the freelancer the mail is for.")
        parser.add_argument("file", nargs="?", help="A saved message (.eml); standard input when left out or '-'.")

    def handle(self, *args, **opts):
        user = user_named(opts["user"])
        raw = self.read_input(opts["file"])
        message = capture(raw, owner=user, now=timezone.now(), via="pipe")
        self.stdout.write(describe(message, user.profile.zone))

    def read_input(self, path):
        try:
            if path in (None, "-"):
                raw = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as source:
                    raw = source.read()
        except OSError as exc:
            raise CommandError(f"FILE: cannot read {path}: {exc.strerror}.")
        if not raw.strip():
            raise CommandError("FILE: the message is empty; give one e-mail on standard input or as a file.")
        return raw
