"""A user the runs had to skip sees why on their dashboard; a superuser sees everyone skipped in the
admin; a user whose zone is unknown is sent to Settings, never shown a server error."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from invitations.accounts import make_freelancer
from invitations.models import Invitation, Profile
from invitations.reminders.digests import send_due_digests
from invitations.reminders.sweep import sweep
from tests.support.digest_factory import overdue_invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
RETIRED_ZONE = "US/Pacific-New"


@pytest.fixture
def stranded(alice, bob):
    """Alice's zone is gone (written as a restore leaves it); one sweep and one digest run skipped her."""
    overdue_invitation(alice, NOW)
    overdue_invitation(bob, NOW)
    Profile.objects.filter(user=alice).update(timezone=RETIRED_ZONE)
    sweep(NOW)
    send_due_digests(NOW)
    return alice


@time_machine.travel(NOW, tick=False)
def test_the_owner_sees_why_on_the_dashboard_in_utc(client, stranded):
    client.force_login(stranded)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Your time zone “{RETIRED_ZONE}” is not one this server knows" in page
    assert reverse("settings") in page
    assert response.context["problems"]  # what the runs recorded, for when the zone is fixed too


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("page", ["digest_preview", "export_invitations", "quick_add"])
def test_pages_that_need_the_zone_send_the_owner_to_settings(client, stranded, page):
    client.force_login(stranded)

    response = client.get(reverse(page))

    assert response.status_code == 302 and response["Location"] == reverse("settings")
    settings_page = client.get(reverse("settings")).content.decode()
    assert RETIRED_ZONE in settings_page and "Choose yours again below." in settings_page


@time_machine.travel(NOW, tick=False)
def test_choosing_a_zone_again_clears_the_problems(client, stranded):
    client.force_login(stranded)
    client.post(reverse("settings"), {"timezone": "Europe/Berlin", "digest_hour": "8", "reply_window_hours": "24",
                                      "digest_enabled": "on", "nudges_enabled": "on"})

    profile = Profile.objects.get(user=stranded)
    assert (profile.timezone, profile.nudge_problem, profile.digest_problem) == ("Europe/Berlin", "", "")
    response = client.get(reverse("dashboard"))
    assert response.context["problems"] == [] and "not one this server knows" not in response.content.decode()


@pytest.fixture
def unrenderable(bob):
    """Bob's overdue invitation from the year 1 (an old restore): his nudge cannot show it in New York."""
    broken = overdue_invitation(bob, NOW)
    year_one = dt.datetime(1, 1, 1, 1, tzinfo=dt.timezone.utc)
    Invitation.objects.filter(pk=broken.pk).update(received_at=year_one, reply_by=year_one)
    sweep(NOW)
    return bob


@time_machine.travel(NOW + dt.timedelta(hours=1), tick=False)
def test_a_recorded_problem_is_shown_to_its_owner_and_the_superuser(client, unrenderable, django_user_model):
    client.force_login(unrenderable)
    assert "Your overdue nudge could not be made: date value out of range." in client.get(reverse("dashboard")).content.decode()

    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-1"))
    assert "bob</a>: overdue nudge skipped: date value out of range" in client.get(reverse("admin:index")).content.decode()


@time_machine.travel(NOW + dt.timedelta(days=2), tick=False)
def test_a_problem_not_met_for_a_day_is_no_longer_shown(client, unrenderable):
    client.force_login(unrenderable)
    assert client.get(reverse("dashboard")).context["problems"] == []


@time_machine.travel(NOW, tick=False)
def test_a_user_without_a_profile_gets_the_default_one_not_an_error(client, alice):
    Profile.objects.filter(user=alice).delete()
    client.force_login(alice)

    assert client.get(reverse("dashboard")).status_code == 200
    assert Profile.objects.get(user=alice).timezone == "UTC"


@time_machine.travel(NOW, tick=False)
def test_a_superuser_sees_everyone_skipped_on_the_admin_index(client, stranded, django_user_model):
    django_user_model.objects.create_user("ghost", "ghost@example.com")
    Profile.objects.filter(user__username="ghost").delete()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-1"))

    page = client.get(reverse("admin:index")).content.decode()

    assert "1 user cannot be served as they should." in page
    assert f"{stranded.username}</a>: its time zone &#x27;{RETIRED_ZONE}&#x27; is not a known IANA time zone" in page
    assert "1 user has no profile" in page


@time_machine.travel(NOW, tick=False)
def test_a_freelancer_never_sees_anyone_elses_problems_in_the_admin(client, stranded, bob):
    make_freelancer(bob)
    client.force_login(bob)

    page = client.get(reverse("admin:index")).content.decode()

    assert RETIRED_ZONE not in page and stranded.username not in page
