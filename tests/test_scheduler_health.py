"""The dashboard and the admin say when the sweep last ran, and warn when the worker is not running."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from invitations.heartbeat import beat

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
    assert "Scheduler running: the sweep last ran 4\xa0minutes ago (flagged 2 invitation(s), nudged 1 user(s))." in html


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
