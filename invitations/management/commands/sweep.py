"""python manage.py sweep: run one sweep now (what the worker does every 5 minutes)."""

from django.utils import timezone

from invitations.management.options import CheckedCommand
from invitations.reminders.sweep import sweep


class Command(CheckedCommand):
    help = (
        "Flag every open invitation whose reply-by has passed, e-mail one nudge per user listing them, "
        "and send what the outbox holds (retrying failed mail). Safe to run at any time, on any machine."
    )

    def handle(self, *args, **opts):
        result = sweep(timezone.now())
        self.stdout.write(f"Sweep done: {result}.")
