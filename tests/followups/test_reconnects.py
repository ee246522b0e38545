"""Reconnecting: what is due, marking it done, and contacts that make a reconnect moot."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from invitations.answers.respond import respond
from invitations.followups.lifecycle import snooze
from invitations.followups.reconnects import CONTACT_NOTE, QUIET_AFTER_CONTACT, log_contact, mark_reconnected
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
DAY = dt.timedelta(days=1)
D = dt.date


def declined(owner, now, client="Maya", busy_until=D(2026, 12, 14)):
    invitation = log_invitation(owner, now=now, client=client, title="Django API")
    respond(invitation, now=now, action="decline", busy_until=busy_until)
    return FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT)


def due_reconnects(owner, now):
    """The owner's reconnects due by `now` through the model's QuerySet methods, as a list shows them."""
    return (
        FollowUp.objects.filter(owner=owner, due_at__lte=now).reconnects().actionable(now)
        .select_related("client", "invitation__client").order_by("due_at", "pk")
    )


def test_due_reconnects_are_mine_due_and_not_snoozed(alice, bob, now):
    mine = declined(alice, now)  # due 2026-12-14 07:00 UTC
    later = declined(alice, now, client="Tom", busy_until=D(2026, 12, 20))
    declined(bob, now)
    due = mine.due_at

    assert list(due_reconnects(alice, due - dt.timedelta(seconds=1))) == []
    assert list(due_reconnects(alice, due)) == [mine]
    snooze(mine, until=due + DAY, now=due)
    assert list(due_reconnects(alice, due + dt.timedelta(hours=1))) == []
    assert list(due_reconnects(alice, due + 7 * DAY)) == [mine, later]


def test_due_reconnects_list_in_one_query(alice, now, django_assert_num_queries):
    for name in ("A", "B", "C"):
        declined(alice, now, client=name)
    with django_assert_num_queries(1):
        rows = list(due_reconnects(alice, now + 30 * DAY))
        assert [r.client.name for r in rows] == ["A", "B", "C"] and rows[0].invitation.busy_until


def test_mark_reconnected_records_when_and_how_once(alice, now):
    reconnect = declined(alice, now)
    when = reconnect.due_at + dt.timedelta(hours=2)

    assert mark_reconnected(reconnect, now=when, channel="email", note="  Still open, call Monday ")
    assert not mark_reconnected(reconnect, now=when + DAY, channel="phone")

    reconnect.refresh_from_db()
    assert (reconnect.done_at, reconnect.done_channel, reconnect.done_note) == (when, "email", "Still open, call Monday")


@pytest.mark.parametrize("kwargs, field", [
    ({"channel": ""}, "channel"),
    ({"channel": "smoke signal"}, "channel"),
    ({"channel": "email", "note": "x" * 10_001}, "note"),
])
def test_mark_reconnected_refuses_bad_input(alice, now, unchanged, kwargs, field):
    reconnect = declined(alice, now)
    with unchanged(), pytest.raises(ValidationError) as raised:
        mark_reconnected(reconnect, now=now, **kwargs)
    assert list(raised.value.message_dict) == [field]


def test_mark_reconnected_refuses_another_kind(alice, now, unchanged):
    reply = log_invitation(alice, now=now, client="Acme").followups.get()
    with unchanged(), pytest.raises(ValidationError, match="not a reconnect"):
        mark_reconnected(reply, now=now, channel="email")


def test_a_new_invitation_near_or_after_the_due_date_closes_the_reconnect(alice, now):
    reconnect = declined(alice, now)  # due 14 Dec
    soon = declined(alice, now, client="Tom", busy_until=D(2026, 12, 10))
    when = dt.datetime(2026, 12, 8, 12, tzinfo=UTC)  # 6 days before 14 Dec, 2 before 10 Dec

    log_invitation(alice, now=when, client="maya")  # any case: the same client

    reconnect.refresh_from_db()
    assert reconnect.done_at == when and "new invitation" in reconnect.done_note
    soon.refresh_from_db()
    assert soon.done_at is None  # another client's reconnect is untouched


def test_a_contact_long_before_the_period_ends_leaves_the_reconnect(alice, now):
    reconnect = declined(alice, now, busy_until=D(2027, 1, 31))

    log_invitation(alice, now=now + DAY, client="Maya")
    log_contact(reconnect.client, now=now + 2 * DAY, channel="phone", note="Quick hello")

    reconnect.refresh_from_db()
    assert reconnect.done_at is None


def test_an_invitation_logged_late_counts_from_when_it_arrived(alice, now):
    reconnect = declined(alice, now, busy_until=D(2026, 11, 25))  # due 25 Nov 07:00 UTC
    later = dt.datetime(2026, 12, 20, tzinfo=UTC)

    # Arrived on 1 December, logged on 20 December: the contact was on 1 December.
    log_invitation(alice, now=later, client="Maya", received_at=dt.datetime(2026, 12, 1, tzinfo=UTC))

    reconnect.refresh_from_db()
    assert reconnect.done_at == later


MONDAY = dt.datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.mark.parametrize("received, closed", [
    (MONDAY - DAY, False),                         # Sunday's invitation came before Monday's promise
    (MONDAY, True),                                # the promise was made by then
    (MONDAY + dt.timedelta(hours=3), True),        # after it: a contact that makes it moot
])
def test_an_invitation_logged_late_closes_only_reconnects_promised_before_it_arrived(alice, received, closed):
    reconnect = declined(alice, MONDAY, busy_until=D(2026, 11, 27))  # "I'll be in touch on Friday"

    log_invitation(alice, now=MONDAY + DAY, client="Maya", received_at=received)  # logged on Tuesday

    reconnect.refresh_from_db()
    assert (reconnect.done_at is not None) == closed
    assert reconnect.created_at == MONDAY  # opened at the answer's time, not the clock's


def test_logging_a_contact_closes_due_reconnects_and_is_kept_in_history(alice, now):
    reconnect = declined(alice, now)
    when = reconnect.due_at - 3 * DAY

    contact, closed = log_contact(reconnect.client, now=when, channel="phone", note="Talked; they'll call in Jan.")

    assert closed == 1
    reconnect.refresh_from_db()
    assert (reconnect.done_at, reconnect.done_channel) == (when, "phone")
    assert reconnect.done_note == "Closed by a contact: Talked; they'll call in Jan."
    contact.refresh_from_db()
    assert (contact.kind, contact.note, contact.done_at, contact.done_note, contact.client) == (
        FollowUpKind.CUSTOM, CONTACT_NOTE, when, "Talked; they'll call in Jan.", reconnect.client,
    )


@pytest.mark.parametrize("kwargs, field", [
    ({"channel": "email", "note": "  "}, "note"),
    ({"channel": "fax", "note": "hi"}, "channel"),
])
def test_log_contact_refuses_bad_input(alice, now, unchanged, kwargs, field):
    reconnect = declined(alice, now)
    with unchanged(), pytest.raises(ValidationError) as raised:
        log_contact(reconnect.client, now=reconnect.due_at, **kwargs)
    assert list(raised.value.message_dict) == [field]


# --- the contact rule: one rule, on both sides of its week, whichever way the user was in touch ---

@pytest.mark.parametrize("before_due, closed", [
    (QUIET_AFTER_CONTACT, True),                                # due exactly a week after the contact
    (QUIET_AFTER_CONTACT + dt.timedelta(seconds=1), False),     # a second further: the promise stands
    (-30 * DAY, True),                                          # overdue for a month: moot too
])
def test_a_contact_closes_reconnects_due_within_a_week_of_it_and_leaves_later_ones(alice, now, before_due, closed):
    reconnect = declined(alice, now)

    log_contact(reconnect.client, now=reconnect.due_at - before_due, channel="phone", note="Talked")

    reconnect.refresh_from_db()
    assert (reconnect.done_at is not None) == closed
    assert reconnect.due_at == dt.datetime(2026, 12, 14, 7, tzinfo=UTC)  # never re-dated


def test_answering_another_of_their_invitations_is_a_contact(alice, now):
    reconnect = declined(alice, now)  # due 14 Dec: "I'll get in touch when it ends"
    again = log_invitation(alice, now=now, client="Maya", title="Billing")  # weeks before: nothing closed
    when = reconnect.due_at - 3 * DAY

    answer = respond(again, now=when, action="accept", channel="email")

    reconnect.refresh_from_db()
    assert (reconnect.done_at, reconnect.done_channel) == (when, "email")
    assert reconnect.done_note == "You answered their invitation “Billing”."
    assert answer.closed == 2  # the reply and the moot reconnect


def test_an_answer_long_before_the_period_ends_leaves_the_reconnect_and_opens_its_own(alice, now):
    reconnect = declined(alice, now, busy_until=D(2027, 1, 31))
    again = log_invitation(alice, now=now, client="Maya", title="Billing")

    respond(again, now=now + DAY, action="decline", busy_until=D(2026, 12, 20))

    reconnect.refresh_from_db()
    assert reconnect.done_at is None
    own = FollowUp.objects.get(invitation=again, kind=FollowUpKind.RECONNECT)
    assert own.done_at is None  # the answer's own reconnect is never closed by its own contact


def test_a_withdrawal_is_not_a_contact(alice, now):
    reconnect = declined(alice, now)
    again = log_invitation(alice, now=now, client="Maya", title="Billing")

    respond(again, now=reconnect.due_at - DAY, action="withdrawn")

    reconnect.refresh_from_db()
    assert reconnect.done_at is None


def test_reconnecting_once_closes_the_clients_other_reconnects_due_that_week(alice, now):
    first = declined(alice, now)                                   # due 14 Dec
    soon = declined(alice, now, busy_until=D(2026, 12, 18))         # same client, due 4 days later
    later = declined(alice, now, busy_until=D(2027, 2, 1))          # a busy period still running then
    other = declined(alice, now, client="Tom", busy_until=D(2026, 12, 15))
    when = first.due_at + dt.timedelta(hours=2)

    assert mark_reconnected(first, now=when, channel="email", note="Still open")

    for followup in (first, soon, later, other):
        followup.refresh_from_db()
    assert (first.done_at, soon.done_at, later.done_at, other.done_at) == (when, when, None, None)
    assert soon.done_channel == "email" and "Reconnected on 2026-12-14" in soon.done_note
    assert first.done_note == "Still open"
