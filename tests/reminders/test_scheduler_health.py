"""The dashboard and the admin say when the sweep last ran, and warn when the worker is not running."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from invitations import tasks
from invitations.intake.log import log_invitation
from invitations.models import Heartbeat
from invitations.reminders.heartbeat import beat

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
WARNING = "The scheduler is not running."


@pytest.fixture
def as_alice(client, alice):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    return client


@pytest.mark.parametrize("page", ["dashboard", "admin:index"])
@time_machine.travel(NOW, tick=False)
def test_a_sweep_that_never_ran_is_a_warning(as_alice, page):
    html = as_alice.get(reverse(page)).content.decode()

    assert WARNING in html and "The sweep has never run." in html
    assert "python manage.py qcluster" in html


@pytest.mark.parametrize("page", ["dashboard", "admin:index"])
@time_machine.travel(NOW, tick=False)
def test_a_recent_sweep_is_shown_calmly(as_alice, page):
    beat("sweep", now=NOW - dt.timedelta(minutes=4), summary="flagged 2 invitation(s), nudged 1 user(s)")

    html = as_alice.get(reverse(page)).content.decode()

    assert WARNING not in html
    assert "Scheduler running: the sweep last ran 4\xa0minutes ago." in html


@pytest.mark.parametrize("page", ["dashboard", "admin:index"])
@time_machine.travel(NOW, tick=False)
def test_no_sweep_for_more_than_15_minutes_is_a_warning(as_alice, page):
    beat("sweep", now=NOW - dt.timedelta(minutes=15, seconds=1))

    html = as_alice.get(reverse(page)).content.decode()

    # Shown in alice's zone (Berlin): 08:44:59 UTC is 09:44 CET.
    assert WARNING in html and "The sweep last ran 15\xa0minutes ago (Fri 20 Nov, 09:44)" in html


@time_machine.travel(NOW, tick=False)
def test_exactly_15_minutes_is_not_yet_a_warning(as_alice):
    beat("sweep", now=NOW - dt.timedelta(minutes=15))

    assert WARNING not in as_alice.get(reverse("dashboard")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_sweep_seconds_ago_ran_less_than_a_minute_ago(as_alice):
    beat("sweep", now=NOW - dt.timedelta(seconds=20), summary="flagged 0 invitation(s)")

    assert "the sweep last ran less than a minute ago" in as_alice.get(reverse("dashboard")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_users_dashboard_says_when_the_sweep_ran_not_what_it_did_for_others(client, alice, bob):
    log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=30))
    tasks.sweep()  # flags and nudges alice: other users' business
    client.force_login(bob)

    html = client.get(reverse("dashboard")).content.decode()

    assert "Scheduler running: the sweep last ran less than a minute ago." in html
    assert "flagged" not in html and "nudged" not in html


@time_machine.travel(NOW, tick=False)
def test_a_superuser_sees_what_the_sweep_did_in_the_heartbeat_admin(client, django_user_model):
    beat("sweep", now=NOW, summary="flagged 2 invitation(s), nudged 1 user(s)")
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-1"))

    html = client.get(reverse("admin:invitations_heartbeat_changelist")).content.decode()

    assert "flagged 2 invitation(s), nudged 1 user(s)" in html


@time_machine.travel(NOW, tick=False)
def test_a_sweep_run_by_hand_does_not_hide_a_stopped_worker(as_alice):
    beat("sweep", now=NOW - dt.timedelta(minutes=20))

    call_command("sweep", stdout=io.StringIO())

    assert Heartbeat.objects.get(job="sweep").last_run_at == NOW - dt.timedelta(minutes=20)
    assert WARNING in as_alice.get(reverse("dashboard")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_worker_tasks_record_their_heartbeats(as_alice, alice):
    log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=30))

    assert tasks.sweep() == "flagged 1 invitation, nudged 1 user, sent 1 e-mail, 0 failed"
    assert tasks.send_digests() == "1 due: 1 sent, 0 failed, 0 quiet, 0 claimed elsewhere, 0 retried"

    beats = {row.job: row for row in Heartbeat.objects.all()}
    assert beats["sweep"].last_run_at == beats["digests"].last_run_at == NOW
    assert beats["sweep"].last_summary == "flagged 1 invitation, nudged 1 user, sent 1 e-mail, 0 failed"
    assert "1 sent" in beats["digests"].last_summary
    assert WARNING not in as_alice.get(reverse("dashboard")).content.decode()
