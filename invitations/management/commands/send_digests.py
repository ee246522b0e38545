"""python manage.py send_digests [--dry-run] [--user USERNAME]: today's digests for whoever is due."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from invitations.clock import format_local
from invitations.management.options import CheckedCommand
from invitations.reminders.digests import next_digests, send_due_digests


class Command(CheckedCommand):
    help = (
        "Send today's digest to every user it is due for (digest on, past their local digest hour, "
        "not yet sent today). Safe to run any time and from any number of machines: each user gets "
        "at most one digest per local day. --dry-run prints who would get what and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; send and claim nothing.")
        parser.add_argument("--user", metavar="USERNAME", help="Only this user.")

    def handle(self, *args, **opts):
        users = None
        if opts["user"]:
            users = get_user_model().objects.filter(username=opts["user"])
            if not users.exists():
                raise CommandError(f"--user: no user named {opts['user']!r}.")
        run = send_due_digests(timezone.now(), users=users, dry_run=opts["dry_run"])
        if not run.due:
            self.stdout.write("Nobody is due a digest now.")
            if opts["dry_run"]:
                self.say_when_next(users)
        for owner, content in run.planned:
            what = content.headline if content.needs_attention else "quiet day, nothing to send"
            self.stdout.write(f"{owner.username} <{owner.email}> ({content.zone_name}, {content.local_date}): {what}")
        if opts["dry_run"]:
            busy = sum(content.needs_attention for _, content in run.planned)
            self.stdout.write(f"Dry run: {busy} would get a digest, {len(run.planned) - busy} quiet; nothing claimed or sent.")
        else:
            self.stdout.write(run.summary)

    def say_when_next(self, users):
        """Each user's next digest, in their own zone: why nothing went, and when something will."""
        upcoming = next_digests(timezone.now(), users=users)
        for profile, moment in upcoming:
            self.stdout.write(f"{profile.user.username}: next digest {format_local(moment, profile.zone)} "
                              f"({profile.timezone}, at {profile.digest_hour:02d}:00 each day).")
        if not upcoming:
            self.stdout.write("Nobody gets digests: each user has them off, or has no e-mail address.")
