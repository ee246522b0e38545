"""The rules the database itself enforces, whatever code path writes."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from invitations.models import Client, Digest, FollowUp, FollowUpKind, Invitation, Profile

pytestmark = pytest.mark.django_db


def test_every_user_gets_a_profile_with_the_documented_defaults():
    user = get_user_model().objects.create_user("carol")

    profile = Profile.objects.get(user=user)
    assert (profile.timezone, profile.digest_hour, profile.reply_window_hours) == ("UTC", 8, 24)
    assert profile.digest_enabled and profile.nudges_enabled


def test_database_refuses_reply_by_before_received(alice, now):
    client = Client.objects.create(owner=alice, name="Acme")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(owner=alice, client=client, received_at=now, reply_by=now - dt.timedelta(seconds=1))


def test_database_refuses_two_open_followups_of_a_kind_per_invitation(alice, now):
    client = Client.objects.create(owner=alice, name="Acme")
    invitation = Invitation.objects.create(owner=alice, client=client, received_at=now, reply_by=now)
    FollowUp.objects.create(owner=alice, kind=FollowUpKind.REPLY, invitation=invitation, due_at=now)

    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(owner=alice, kind=FollowUpKind.REPLY, invitation=invitation, due_at=now)


def test_a_done_followup_does_not_block_a_new_one(alice, now):
    client = Client.objects.create(owner=alice, name="Acme")
    invitation = Invitation.objects.create(owner=alice, client=client, received_at=now, reply_by=now)
    FollowUp.objects.create(owner=alice, kind=FollowUpKind.RECONNECT, invitation=invitation, due_at=now, done_at=now)

    FollowUp.objects.create(owner=alice, kind=FollowUpKind.RECONNECT, invitation=invitation, due_at=now)

    assert invitation.followups.count() == 2


def test_database_refuses_two_digests_for_one_user_and_day(alice, now):
    Digest.objects.create(owner=alice, local_date=now.date(), claimed_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Digest.objects.create(owner=alice, local_date=now.date(), claimed_at=now)


def test_database_refuses_a_twin_client_name_in_another_case(alice):
    Client.objects.create(owner=alice, name="Acme")
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.create(owner=alice, name="ACME")


def test_database_refuses_a_digest_hour_outside_the_day(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(user=alice).update(digest_hour=24)
