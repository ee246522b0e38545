"""setup_schedules registers the worker's schedules by name; the tasks are thin entry points."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_q.models import Schedule
from django_q.tasks import async_task, result

from invitations.intake.log import log_invitation
from invitations.models import Heartbeat
from invitations.reminders.schedules import SCHEDULES

pytestmark = pytest.mark.django_db


def test_setup_schedules_registers_the_sweep_and_the_digests():
    out = io.StringIO()
    call_command("setup_schedules", stdout=out)

    sweep = Schedule.objects.get(name="sweep every 5 minutes")
    digests = Schedule.objects.get(name="digests every 15 minutes")
    assert (sweep.func, sweep.schedule_type, sweep.minutes, sweep.repeats) == (
        "invitations.tasks.sweep", Schedule.MINUTES, 5, -1,
    )
    assert (digests.func, digests.schedule_type, digests.minutes) == ("invitations.tasks.send_digests", Schedule.MINUTES, 15)
    assert "Created schedule 'sweep every 5 minutes'" in out.getvalue()


def test_running_it_twice_leaves_one_row_per_schedule_and_restores_an_edited_one():
    call_command("setup_schedules", stdout=io.StringIO())
    sweep = Schedule.objects.get(name="sweep every 5 minutes")
    next_run = sweep.next_run
    Schedule.objects.filter(pk=sweep.pk).update(minutes=60)
    out = io.StringIO()

    call_command("setup_schedules", stdout=out)

    assert Schedule.objects.count() == len(SCHEDULES) == 3  # sweep, digests, mailboxes
    sweep.refresh_from_db()
    assert sweep.minutes == 5 and sweep.next_run == next_run
    assert "Updated schedule 'sweep every 5 minutes'" in out.getvalue()


def test_the_sweep_task_runs_through_django_q(alice):
    """Tests run django-q2 in sync mode: the real task path, inline."""
    log_invitation(alice, now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), client="Acme",
                   received_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))

    task_id = async_task("invitations.tasks.sweep")

    assert result(task_id) == "flagged 1 invitation, nudged 1 user, sent 1 e-mail, 0 failed"
    assert len(mail.outbox) == 1 and Heartbeat.objects.filter(job="sweep").exists()
