"""One bad row must not stop everyone: the sweep and the digest run skip the one user they cannot
serve (logged, kept on the profile) and serve everyone else; the skipped one is served once fixed."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.db import connection

from invitations.models import Client, Digest, FollowUp, FollowUpKind, Invitation, OutboundEmail, Profile
from invitations.reminders.digests import send_due_digests
from invitations.reminders.sweep import sweep
from tests.support.digest_factory import HOUR, overdue_invitation

pytestmark = pytest.mark.django_db

# 09:00 UTC: 10:00 in Berlin (alice), 04:00 in New York (bob); by 14:00 both are past their digest hour.
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
LATER = NOW + 5 * HOUR
RETIRED_ZONE = "US/Pacific-New"  # in tzdata until 2020: a restore or a tzdata update leaves it behind
YEAR_ONE = dt.datetime(1, 1, 1, 1, 0, tzinfo=dt.timezone.utc)  # no zone west of UTC can show it


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def retire_zone(user):
    """Write the zone straight into the database, as a restore or a tzdata update leaves it."""
    Profile.objects.filter(user=user).update(timezone=RETIRED_ZONE)


def profile(user):
    return Profile.objects.get(user=user)


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.WARNING, logger="invitations.reminders.problems")
    return caplog


# --- an unknown time zone ------------------------------------------------------------------------

def test_the_sweep_skips_a_user_whose_zone_is_unknown_and_nudges_everyone_else(alice, bob, logged):
    mine = overdue_invitation(alice, NOW)
    overdue_invitation(bob, NOW)
    retire_zone(alice)

    result = sweep(NOW)

    assert recipients() == ["bob@example.com"]
    assert (result.flagged, result.nudged, result.skipped) == (1, 1, 1)
    assert "skipped 1 user (see the log)" in str(result)
    mine.refresh_from_db()
    assert mine.flagged_at is None  # given back: a later sweep nudges alice about it
    assert (profile(alice).nudge_problem, profile(alice).nudge_problem_at) == (
        f"'{RETIRED_ZONE}' is not a known IANA time zone, such as Europe/Berlin", NOW)
    assert f"skipped user {alice.pk}" in logged.text and RETIRED_ZONE in logged.text


def test_once_her_zone_is_fixed_the_next_sweep_nudges_her_and_clears_the_problem(alice, bob):
    overdue_invitation(alice, NOW)
    retire_zone(alice)
    sweep(NOW)

    Profile.objects.filter(user=alice).update(timezone="Europe/Berlin")

    assert sweep(NOW + HOUR).nudged == 1
    assert recipients() == ["alice@example.com"]
    assert (profile(alice).nudge_problem, profile(alice).nudge_problem_at) == ("", None)


def test_digests_skip_a_user_whose_zone_is_unknown_and_send_hers_once_fixed(alice, bob, logged):
    overdue_invitation(alice, NOW)
    overdue_invitation(bob, NOW)
    retire_zone(alice)

    run = send_due_digests(LATER)

    assert recipients() == ["bob@example.com"]
    assert run.skipped == 1 and "1 skipped" in run.summary
    assert RETIRED_ZONE in profile(alice).digest_problem
    assert not Digest.objects.filter(owner=alice).exists()  # her day is not claimed: it is tried again

    Profile.objects.filter(user=alice).update(timezone="Europe/Berlin")
    assert send_due_digests(LATER + HOUR).sent == 1  # the same day, once fixed
    assert recipients() == ["alice@example.com", "bob@example.com"]
    assert profile(alice).digest_problem == ""


def test_a_failed_digest_of_a_user_whose_zone_is_unknown_does_not_stop_the_retries(alice, bob):
    overdue_invitation(alice, NOW)
    overdue_invitation(bob, NOW)
    send_due_digests(LATER)
    OutboundEmail.objects.update(state=OutboundEmail.State.FAILED)
    mail.outbox.clear()
    retire_zone(alice)

    run = send_due_digests(LATER + HOUR)

    assert recipients() == ["bob@example.com"] and run.retried == 1


# --- a user with no profile ----------------------------------------------------------------------

def test_a_user_without_a_profile_is_skipped_by_the_sweep_not_flagged_away(alice, bob, logged):
    mine = overdue_invitation(alice, NOW)
    overdue_invitation(bob, NOW)
    Profile.objects.filter(user=alice).delete()

    assert sweep(NOW).skipped == 1

    assert recipients() == ["bob@example.com"]
    mine.refresh_from_db()
    assert mine.flagged_at is None
    assert "User has no profile" in logged.text


def test_a_failed_digest_of_a_user_without_a_profile_does_not_stop_the_digest_run(alice, bob):
    overdue_invitation(alice, NOW)
    send_due_digests(NOW)  # alice's goes out at 10:00 Berlin ...
    OutboundEmail.objects.update(state=OutboundEmail.State.FAILED)  # ... and fails
    Profile.objects.filter(user=alice).delete()
    overdue_invitation(bob, NOW)
    mail.outbox.clear()

    run = send_due_digests(LATER)

    assert recipients() == ["bob@example.com"] and run.sent == 1


# --- an invitation whose client is gone ----------------------------------------------------------

@pytest.fixture
def orphan(alice):
    """Alice's overdue invitation whose client was deleted with the foreign keys off (the sqlite3
    shell's default, or a restore that did not check them); put back after the test."""
    invitation = overdue_invitation(alice, NOW, client="Gone Ltd")
    client = invitation.client
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA defer_foreign_keys = ON")  # until the test's transaction ends
        cursor.execute(f"DELETE FROM {Client._meta.db_table} WHERE id = %s", [client.pk])
    yield invitation
    Client.objects.bulk_create([client])


def test_an_invitation_whose_client_is_gone_is_given_back_and_stops_nobody(orphan, alice, bob, logged):
    overdue_invitation(bob, NOW)

    assert sweep(NOW).skipped == 1

    assert recipients() == ["bob@example.com"]
    assert Invitation.objects.get(pk=orphan.pk).flagged_at is None
    assert "no client" in profile(alice).nudge_problem
    # The digest leaves the row out (it reads invitations with their clients) and goes on.
    run = send_due_digests(LATER)
    assert (run.sent, run.quiet, run.skipped) == (1, 1, 0)


# --- a value no template can show ----------------------------------------------------------------

def test_the_sweep_skips_a_nudge_it_cannot_render_and_nudges_everyone_else(alice, bob, logged):
    overdue_invitation(alice, NOW)
    broken = overdue_invitation(bob, NOW)
    Invitation.objects.filter(pk=broken.pk).update(received_at=YEAR_ONE, reply_by=YEAR_ONE)  # an old restore

    result = sweep(NOW)

    assert recipients() == ["alice@example.com"]
    assert (result.nudged, result.skipped) == (1, 1)
    assert profile(bob).nudge_problem  # OverflowError: the year 1 has no local time in New York
    assert "OverflowError" in logged.text


def test_digests_isolate_the_one_user_whose_digest_cannot_be_built(make_user, bob):
    users = [make_user(f"user{i}", timezone="Europe/Berlin") for i in range(6)]
    for user in users:
        overdue_invitation(user, NOW)
    overdue_invitation(bob, NOW)
    broken = Client.objects.create(owner=bob, name="Old Client")
    FollowUp.objects.create(owner=bob, kind=FollowUpKind.CUSTOM, client=broken, due_at=YEAR_ONE, created_at=YEAR_ONE)

    run = send_due_digests(LATER)

    assert run.sent == 6 and run.skipped == 1
    assert "bob@example.com" not in recipients()
    assert profile(bob).digest_problem


# --- deactivated users ---------------------------------------------------------------------------

def test_a_deactivated_user_is_not_nudged(alice, bob):
    overdue_invitation(alice, NOW)
    overdue_invitation(bob, NOW)
    alice.is_active = False
    alice.save()

    result = sweep(NOW)

    assert recipients() == ["bob@example.com"]
    assert (result.flagged, result.nudged) == (2, 1)  # flagged like a user with nudges off: no nudge later either


def test_a_user_deactivated_between_finding_and_claiming_is_not_nudged(alice, monkeypatch):
    from invitations.reminders import sweep as sweeping

    overdue_invitation(alice, NOW)
    real_due_owners = sweeping.due_owners

    def deactivate_after_finding(now):
        owners = real_due_owners(now)
        type(alice).objects.filter(pk=alice.pk).update(is_active=False)
        return owners

    monkeypatch.setattr(sweeping, "due_owners", deactivate_after_finding)
    assert sweep(NOW).nudged == 0 and mail.outbox == []
