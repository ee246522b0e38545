"""When digests go out, with the clock frozen: local hours, midnight, DST, far-off zones, outages."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from invitations.clock import at_local_hour
from invitations.models import Digest
from invitations.reminders.digests import send_due_digests
from tests.support.digest_factory import DAY, HOUR, overdue_invitation

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
QUARTER = dt.timedelta(minutes=15)


def run_schedule(start, end):
    """The 15-minute schedule from `start` to `end`, each run on a frozen clock, as the task calls it."""
    moment = start
    while moment < end:
        with time_machine.travel(moment, tick=False):
            send_due_digests(timezone.now())
        moment += QUARTER


def sent_digests():
    """(owner, local date, when its e-mail went out) for every digest that was sent."""
    return [
        (d.owner.username, d.local_date, d.email.sent_at)
        for d in Digest.objects.filter(email__state="sent").select_related("owner", "email").order_by("email__sent_at")
    ]


@pytest.mark.parametrize(
    "zone_name, day, hour, expected_local",
    [
        ("America/New_York", dt.date(2026, 3, 8), 8, "08:00 EDT"),    # spring forward
        ("America/New_York", dt.date(2026, 3, 8), 2, "03:00 EDT"),    # 02:00 does not exist that day
        ("America/New_York", dt.date(2026, 11, 1), 8, "08:00 EST"),   # fall back
        ("America/New_York", dt.date(2026, 11, 1), 1, "01:00 EDT"),   # 01:00 happens twice: the first
        ("Europe/Berlin", dt.date(2026, 3, 29), 8, "08:00 CEST"),
        ("Europe/Berlin", dt.date(2026, 3, 29), 2, "03:00 CEST"),
        ("Europe/Berlin", dt.date(2026, 10, 25), 8, "08:00 CET"),
        ("Europe/Berlin", dt.date(2026, 10, 25), 2, "02:00 CEST"),
    ],
)
def test_on_a_dst_change_day_the_digest_goes_out_once_at_the_local_hour(make_user, zone_name, day, hour, expected_local):
    zone = zoneinfo.ZoneInfo(zone_name)
    start, end = at_local_hour(day, 0, zone), at_local_hour(day + DAY, 0, zone)
    dana = make_user("dana", timezone=zone_name, digest_hour=hour)
    overdue_invitation(dana, start - DAY)

    run_schedule(start, end)  # every quarter hour of the 23- or 25-hour day

    [(_, local_day, sent_at)] = sent_digests()
    assert local_day == day
    assert sent_at == at_local_hour(day, hour, zone)
    assert sent_at.astimezone(zone).strftime("%H:%M %Z") == expected_local
    assert len(mail.outbox) == 1


def test_crossing_midnight_each_local_day_gets_its_own_digest(make_user):
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    erik = make_user("erik", timezone="Europe/Berlin", digest_hour=8)
    day = dt.date(2026, 11, 20)
    overdue_invitation(erik, at_local_hour(day, 0, berlin))

    run_schedule(at_local_hour(day, 7, berlin), at_local_hour(day + DAY, 9, berlin))

    assert sent_digests() == [
        ("erik", day, at_local_hour(day, 8, berlin)),
        ("erik", day + DAY, at_local_hour(day + DAY, 8, berlin)),
    ]


def test_a_digest_missed_before_midnight_is_never_sent_for_the_day_that_is_over(make_user):
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    fay = make_user("fay", timezone="Europe/Berlin", digest_hour=23)
    day = dt.date(2026, 11, 20)
    overdue_invitation(fay, at_local_hour(day, 0, berlin))

    # Workers down from 22:00 to 00:10: the 23:00 digest of the 20th is never sent.
    run_schedule(at_local_hour(day + DAY, 0, berlin) + 10 * dt.timedelta(minutes=1), at_local_hour(day + DAY, 23, berlin))
    assert sent_digests() == []
    assert not Digest.objects.filter(local_date=day).exists()

    run_schedule(at_local_hour(day + DAY, 23, berlin), at_local_hour(day + DAY, 23, berlin) + HOUR)
    assert [(who, when) for who, when, _ in sent_digests()] == [("fay", day + DAY)]


def test_users_at_utc_minus_10_and_utc_plus_13_are_served_in_one_run(make_user):
    honolulu = make_user("hana", timezone="Pacific/Honolulu", digest_hour=8)   # UTC-10
    auckland = make_user("aroha", timezone="Pacific/Auckland", digest_hour=8)  # UTC+13 in (southern) summer
    tonga = make_user("sione", timezone="Pacific/Tongatapu", digest_hour=8)    # UTC+13 all year
    moment = dt.datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # 09:00 on the 20th in Honolulu, 08:00 on the 21st at +13
    for user in (honolulu, auckland, tonga):
        overdue_invitation(user, moment)

    with time_machine.travel(moment, tick=False):
        run = send_due_digests(timezone.now())

    assert run.sent == 3
    assert sorted(Digest.objects.values_list("owner__username", "local_date")) == [
        ("aroha", dt.date(2026, 11, 21)), ("hana", dt.date(2026, 11, 20)), ("sione", dt.date(2026, 11, 21)),
    ]
    # Twelve hours on it is still the 20th in Honolulu and the 21st at +13: nothing more to send.
    run_schedule(moment + QUARTER, moment + 12 * HOUR)
    assert len(mail.outbox) == 3


def test_before_the_local_hour_at_utc_plus_13_nothing_goes_out(make_user):
    aroha = make_user("aroha", timezone="Pacific/Auckland", digest_hour=8)
    overdue_invitation(aroha, dt.datetime(2026, 11, 20, 12, tzinfo=UTC))

    run_schedule(dt.datetime(2026, 11, 20, 11, 0, tzinfo=UTC), dt.datetime(2026, 11, 20, 19, 0, tzinfo=UTC))
    assert sent_digests() == []  # 00:00 to 07:45 on the 21st in Auckland

    run_schedule(dt.datetime(2026, 11, 20, 19, 0, tzinfo=UTC), dt.datetime(2026, 11, 20, 19, 15, tzinfo=UTC))
    assert len(sent_digests()) == 1


def test_missed_while_workers_were_down_it_goes_out_later_that_day_once(make_user):
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    gus = make_user("gus", timezone="Europe/Berlin", digest_hour=8)
    day = dt.date(2026, 11, 20)
    overdue_invitation(gus, at_local_hour(day, 0, berlin))

    # Workers down from 06:00 to 13:20; back, they run every quarter hour until the next morning.
    run_schedule(at_local_hour(day, 13, berlin) + 20 * dt.timedelta(minutes=1), at_local_hour(day + DAY, 7, berlin))

    assert sent_digests() == [("gus", day, at_local_hour(day, 13, berlin) + 20 * dt.timedelta(minutes=1))]


def test_digest_switched_off_sends_nothing_all_day(make_user):
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    hal = make_user("hal", timezone="Europe/Berlin", digest_enabled=False)
    day = dt.date(2026, 11, 20)
    overdue_invitation(hal, at_local_hour(day, 0, berlin))

    run_schedule(at_local_hour(day, 0, berlin), at_local_hour(day + DAY, 0, berlin))

    assert mail.outbox == [] and not Digest.objects.exists()
