"""python manage.py setup_schedules: register the worker's schedules (safe to run again)."""


from invitations.management.options import CheckedCommand
from invitations.reminders.schedules import register_schedules


class Command(CheckedCommand):
    help = "Register the django-q2 schedules (sweep every 5 minutes, digests every 15). Running it again updates them."

    def handle(self, *args, **opts):
        for schedule, created in register_schedules():
            verb = "Created" if created else "Updated"
            self.stdout.write(
                f"{verb} schedule {schedule.name!r}: {schedule.func}, next run {schedule.next_run:%Y-%m-%d %H:%M %Z}."
            )
