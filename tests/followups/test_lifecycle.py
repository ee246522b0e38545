"""Follow-ups: opened once, snoozed out of sight, done once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from invitations.followups.lifecycle import mark_done, open_followup, snooze, undo_done, undo_snooze
from invitations.followups.reconnects import finish
from invitations.intake.log import log_invitation
from invitations.models import Client, FollowUp, FollowUpKind

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
    # A reply of an open invitation is never "done" (issue 19, item 3): a follow-up that may be.
    acme = Client.objects.create(owner=alice, name="Acme")
    followup, _ = open_followup(alice, FollowUpKind.CUSTOM, now=now, due_at=now, client=acme)

    assert mark_done(followup, now=now, channel="phone", note="called her")
    assert not mark_done(followup, now=now + HOUR)

    followup.refresh_from_db()
    assert (followup.done_at, followup.done_channel, followup.done_note) == (now, "phone", "called her")
    assert list(FollowUp.objects.filter(owner=alice).actionable(now)) == []


def test_the_reply_of_an_unanswered_invitation_is_never_done_only_answered(alice, now, unchanged):
    """Issue 19, item 3: "Done" hid an invitation the digest and the admin still called overdue."""
    reply = log_invitation(alice, now=now, client="Acme").followups.get()

    with unchanged():
        assert not mark_done(reply, now=now)
        with pytest.raises(ValidationError) as refused:
            finish(reply, now=now)
    assert "not answered yet" in str(refused.value)


def test_undo_done_reopens_only_what_that_done_closed(alice, now):
    acme = Client.objects.create(owner=alice, name="Acme")
    followup, _ = open_followup(alice, FollowUpKind.CUSTOM, now=now, due_at=now, client=acme)
    mark_done(followup, now=now, channel="phone", note="called")

    assert not undo_done(followup, at=now + HOUR)  # not that moment: something else closed it
    assert undo_done(followup, at=now)
    followup.refresh_from_db()
    assert (followup.done_at, followup.done_channel, followup.done_note) == (None, "", "")


def test_undo_snooze_puts_back_what_it_had_unless_it_changed_since(alice, now):
    acme = Client.objects.create(owner=alice, name="Acme")
    followup, _ = open_followup(alice, FollowUpKind.CUSTOM, now=now, due_at=now, client=acme)
    snooze(followup, until=now + HOUR, now=now)

    assert not undo_snooze(followup, until=now + 2 * HOUR, previous=None)
    assert undo_snooze(followup, until=now + HOUR, previous=None)
    followup.refresh_from_db()
    assert followup.snoozed_until is None
