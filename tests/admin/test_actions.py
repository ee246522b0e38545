"""Each bulk action is one transaction: when the database refuses the third row (a real trigger),
no row changes and the admin says so, instead of two rows changed and a server error."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from invitations.followups.lifecycle import open_followup
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind, Invitation, Profile

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def invitations(alice):
    """Four of alice's open invitations, due one hour apart: their reply follow-ups are taken in that order."""
    return [
        log_invitation(alice, now=NOW, client=f"Client {i}", received_at=NOW - dt.timedelta(hours=5),
                       reply_by=NOW + dt.timedelta(hours=i + 1))
        for i in range(4)
    ]


@pytest.fixture
def refuse_updates_of():
    """refuse_updates_of(model, pk): the database itself refuses any UPDATE of that row (a trigger)."""
    def install(model, pk):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"CREATE TRIGGER refuse_row BEFORE UPDATE ON {table} WHEN OLD.id = {int(pk)} "
                               "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END")
            else:
                cursor.execute("CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS "
                               "$$ BEGIN RAISE EXCEPTION 'refused by a test trigger'; END $$")
                cursor.execute(f"CREATE TRIGGER refuse_row BEFORE UPDATE ON {table} FOR EACH ROW "
                               f"WHEN (OLD.id = {int(pk)}) EXECUTE FUNCTION refuse_row()")

    return install  # the test's transaction takes the trigger away with everything else


def closable(invitation):
    """A follow-up Done may close (the reply of an unanswered invitation is not one: issue 19, item 3)."""
    return open_followup(invitation.owner, FollowUpKind.CUSTOM, now=NOW, due_at=NOW, invitation=invitation,
                         note="Send the portfolio")[0]


def run_action(client, model, action, pks):
    """The messages the admin shows after the action."""
    url = reverse(f"admin:invitations_{model._meta.model_name}_changelist")
    response = client.post(url, {"action": action, "_selected_action": pks}, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


FOLLOWUP_ACTIONS = ["snooze_hour", "snooze_tomorrow", "snooze_next_week", "mark_selected_done"]
INVITATION_ACTIONS = ["mark_withdrawn", "snooze_invitation_followups", "finish_invitation_followups"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("action", FOLLOWUP_ACTIONS)
def test_a_followup_action_that_fails_on_the_third_row_changes_nothing(
    staff_alice, invitations, refuse_updates_of, unchanged, action
):
    replies = [invitation.followups.get() for invitation in invitations]
    targets = [closable(invitation) for invitation in invitations] if action == "mark_selected_done" else replies
    refuse_updates_of(FollowUp, targets[2].pk)

    with unchanged():
        shown = run_action(staff_alice, FollowUp, action, [f.pk for f in targets])

    assert shown == ["Nothing was changed: refused by a test trigger"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("action", INVITATION_ACTIONS)
def test_an_invitation_action_that_fails_on_the_third_row_changes_nothing(
    staff_alice, invitations, refuse_updates_of, unchanged, action
):
    third = invitations[2]
    customs = [closable(invitation) for invitation in invitations] if action == "finish_invitation_followups" else []
    refuse_updates_of(Invitation if action == "mark_withdrawn" else FollowUp,
                      third.pk if action == "mark_withdrawn" else (customs or [None, None, third.followups.get()])[2].pk)

    with unchanged():
        shown = run_action(staff_alice, Invitation, action, [inv.pk for inv in invitations])

    assert shown == ["Nothing was changed: refused by a test trigger"]


@time_machine.travel(NOW, tick=False)
def test_a_snooze_for_an_owner_whose_zone_is_unknown_changes_nothing_and_says_why(
    client, alice, bob, django_user_model, unchanged
):
    mine = log_invitation(alice, now=NOW, client="Acme").followups.get()
    theirs = log_invitation(bob, now=NOW, client="Bobco").followups.get()
    Profile.objects.filter(user=bob).update(timezone="US/Pacific-New")
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-1"))

    with unchanged():
        shown = run_action(client, FollowUp, "snooze_tomorrow", [mine.pk, theirs.pk])

    assert shown == ["Nothing was changed: 'US/Pacific-New' is not a known IANA time zone, such as Europe/Berlin"]
