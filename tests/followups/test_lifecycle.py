"""Follow-ups: opened once, snoozed out of sight, done once."""

import datetime as dt

import pytest

from invitations.followups.lifecycle import mark_done, open_followup, snooze
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def test_opening_twice_returns_the_open_one(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme")

    followup, created = open_followup(alice, FollowUpKind.REPLY, now=now, due_at=now, invitation=invitation)

    assert not created and followup == invitation.followups.get()


def test_snoozed_followup_leaves_the_list_until_its_time(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme")
    followup = invitation.followups.get()

    assert snooze(followup, until=now + 3 * HOUR, now=now)

    assert list(FollowUp.objects.filter(owner=alice).actionable(now + 2 * HOUR)) == []
    assert list(FollowUp.objects.filter(owner=alice).actionable(now + 3 * HOUR)) == [followup]


def test_snooze_into_the_past_is_refused(alice, now):
    followup = log_invitation(alice, now=now, client="Acme").followups.get()
    with pytest.raises(ValueError):
        snooze(followup, until=now, now=now)


def test_done_once_records_how(alice, now):
    followup = log_invitation(alice, now=now, client="Acme").followups.get()

    assert mark_done(followup, now=now, channel="phone", note="called her")
    assert not mark_done(followup, now=now + HOUR)

    followup.refresh_from_db()
    assert (followup.done_at, followup.done_channel, followup.done_note) == (now, "phone", "called her")
    assert list(FollowUp.objects.filter(owner=alice).actionable(now)) == []
