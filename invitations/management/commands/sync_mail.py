"""python manage.py sync_mail [--user U]: read what is new in the connected mailboxes now."""

from django.utils import timezone

from invitations.mailboxes.sync import sync_due
from invitations.management.options import CheckedCommand, user_named


class Command(CheckedCommand):
    help = (
        "Read the new messages of every connected mailbox (or --user's), capture invitations and notice "
        "replies; what the worker does every 5 minutes. Safe to run at any time: a mailbox another run is "
        "reading is left to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="Only this user's mailbox.")

    def handle(self, *args, user=None, **opts):
        owner = user_named(user) if user else None
        self.stdout.write(f"Mail synced: {sync_due(now=timezone.now(), owner=owner)}.")
