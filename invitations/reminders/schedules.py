"""The django-q2 schedules noghost needs, registered by code (never by hand) and idempotently."""

from django_q.models import Schedule

# name -> what runs and how often. The name is the key: registering again updates, never duplicates.
SCHEDULES = {
    "sweep every 5 minutes": {"func": "invitations.tasks.sweep", "minutes": 5},
    "digests every 15 minutes": {"func": "invitations.tasks.send_digests", "minutes": 15},
    "mailboxes every 5 minutes": {"func": "invitations.tasks.sync_mailboxes", "minutes": 5},
}


def register_schedules():
    """Create or update each schedule by name; returns [(schedule, created)].

    An existing schedule keeps its next_run, so re-running `setup_schedules` on every start
    (as `make run` does) neither delays nor repeats a run.
    """
    return [
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": spec["func"], "schedule_type": Schedule.MINUTES, "minutes": spec["minutes"], "repeats": -1,
            },
        )
        for name, spec in SCHEDULES.items()
    ]
