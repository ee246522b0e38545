"""Data migrations, run for real: the database is taken back to the migration before, given rows
through the historical models, and migrated forward."""

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from invitations.answers.respond import respond
from invitations.followups.history import client_history
from invitations.models import AnswerEvent, Client, Invitation

# SQLite's schema editor refuses to run inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)
UTC = dt.timezone.utc
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)
BEFORE_BACKFILL = ("invitations", "0005_sweep_index_by_owner")
BACKFILL = ("invitations", "0006_backfill_answer_events")


@pytest.fixture
def migrate():
    """migrate(target) -> the historical apps at `target`; the database ends fully migrated again."""
    def to(*targets):
        executor = MigrationExecutor(connection)
        executor.migrate(list(targets))
        return executor.loader.project_state(list(targets)).apps

    yield to
    to(*MigrationExecutor(connection).loader.graph.leaf_nodes())


def old_world(apps):
    """Alice, before answers were kept: two answered invitations, one withdrawn, one open, and one
    answered since 0004 (its answer has its row)."""
    User, Profile = apps.get_model("auth", "User"), apps.get_model("invitations", "Profile")
    Client, Invitation = apps.get_model("invitations", "Client"), apps.get_model("invitations", "Invitation")
    AnswerEvent = apps.get_model("invitations", "AnswerEvent")
    alice = User.objects.create(username="alice")
    Profile.objects.create(user=alice, timezone="Europe/Berlin")
    maya = Client.objects.create(owner=alice, name="Maya")

    def invitation(title, **answer):
        return Invitation.objects.create(owner=alice, client=maya, title=title, received_at=MONDAY,
                                         reply_by=MONDAY + 24 * HOUR, **answer).pk

    return alice.pk, {
        "declined": invitation("API", status="declined", responded_at=MONDAY + HOUR, response_channel="email",
                               decline_reason="rate", response_message="Thank you, but no."),
        "accepted": invitation("Billing", status="accepted", responded_at=MONDAY + 2 * HOUR, response_channel="phone"),
        "withdrawn": invitation("Shop", status="withdrawn", responded_at=MONDAY + 3 * HOUR),
        "open": invitation("Search"),
        "kept": AnswerEvent.objects.create(
            owner=alice, at=MONDAY + 4 * HOUR, status="accepted", channel="email",
            invitation_id=invitation("Kept", status="accepted", responded_at=MONDAY + 4 * HOUR),
        ).invitation_id,
    }


def answers():
    return sorted(AnswerEvent.objects.values_list(
        "invitation__title", "owner_id", "at", "status", "channel", "decline_reason", "message",
    ))


def test_every_answer_from_before_0004_gets_its_row_at_its_response_time(migrate):
    owner, _ = old_world(migrate(BEFORE_BACKFILL))

    migrate(BACKFILL)

    assert answers() == [
        ("API", owner, MONDAY + HOUR, "declined", "email", "rate", "Thank you, but no."),
        ("Billing", owner, MONDAY + 2 * HOUR, "accepted", "phone", "", ""),
        ("Kept", owner, MONDAY + 4 * HOUR, "accepted", "email", "", ""),  # had its row: no second one
        ("Shop", owner, MONDAY + 3 * HOUR, "withdrawn", "", "", ""),
    ]


def test_an_old_answer_stays_on_the_client_page_once_answered_again(migrate):
    _, ids = old_world(migrate(BEFORE_BACKFILL))
    migrate(BACKFILL)
    migrate(*MigrationExecutor(connection).loader.graph.leaf_nodes())  # today's code needs today's schema
    invitation = Invitation.objects.get(pk=ids["declined"])

    respond(invitation, now=MONDAY + 30 * HOUR, action="accept", channel="email", message="Yes after all.")

    events, _, _ = client_history(Client.objects.get(name="Maya"))
    assert [(e.at, e.title) for e in events if e.kind == "answered" and e.invitation.pk == invitation.pk] == [
        (MONDAY + HOUR, "You declined (rate or budget too low)"),
        (MONDAY + 30 * HOUR, "You accepted"),
    ]


def test_the_backfill_writes_in_batches_and_undoing_it_keeps_the_rows_for_a_second_run(migrate, monkeypatch):
    monkeypatch.setattr(importlib.import_module("invitations.migrations.0006_backfill_answer_events"), "BATCH", 2)
    old_world(migrate(BEFORE_BACKFILL))

    with CaptureQueriesContext(connection) as queries:
        migrate(BACKFILL)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "invitations_answerevent"')]
    assert len(inserts) == 2  # three rows in batches of two
    after = answers()

    migrate(BEFORE_BACKFILL)
    assert answers() == after  # real answers cannot be told from backfilled ones: nothing is deleted
    migrate(BACKFILL)
    assert answers() == after


BEFORE_UNSENT = ("invitations", "0010_inbound_mail")
UNSENT = ("invitations", "0011_unsent_answers_and_names")


def test_replies_done_without_an_answer_are_reopened(migrate):
    """"Done" used to close the reply of an open invitation (issue 19, item 3): 0011 gives it back."""
    apps = migrate(BEFORE_UNSENT)
    alice, ids = old_world(apps)
    FollowUp, Invitation = apps.get_model("invitations", "FollowUp"), apps.get_model("invitations", "Invitation")

    def reply(key, **done):
        invitation = Invitation.objects.get(pk=ids[key])
        return FollowUp.objects.create(owner_id=alice, kind="reply", invitation=invitation, client_id=invitation.client_id,
                                       due_at=invitation.reply_by, created_at=MONDAY, **done).pk

    hidden = reply("open", done_at=MONDAY + 30 * HOUR, done_note="Done on the dashboard", done_channel="phone")
    answered = reply("declined", done_at=MONDAY + HOUR)
    lost = Invitation.objects.create(owner_id=alice, client_id=Invitation.objects.get(pk=ids["open"]).client_id,
                                     title="Lost", received_at=MONDAY, reply_by=MONDAY + 24 * HOUR).pk  # no reply at all

    migrate(UNSENT)

    from invitations.models import FollowUp as Current
    reopened = Current.objects.get(pk=hidden)
    assert (reopened.done_at, reopened.done_note, reopened.done_channel) == (None, "", "")
    assert Current.objects.get(pk=answered).done_at == MONDAY + HOUR  # answered: left as it was
    [new] = Current.objects.filter(invitation_id=lost)
    assert (new.kind, new.due_at, new.done_at) == ("reply", MONDAY + 24 * HOUR, None)


def test_outbox_rows_not_yet_sent_get_a_message_id_each_and_a_crashed_sending_row_becomes_unsure(migrate):
    from invitations.mail.outbox import deliver_pending

    apps = migrate(("invitations", "0012_workspace"))
    owner = apps.get_model("auth", "User").objects.create(username="alice", email="alice@example.com")
    OldEmail = apps.get_model("invitations", "OutboundEmail")
    for state in ("queued", "failed", "sending", "sent"):
        OldEmail.objects.create(owner=owner, kind="nudge", to="alice@example.com", subject=state, body_text="text",
                                state=state, created_at=MONDAY, claimed_at=MONDAY, claim_token="old-run")

    migrate(("invitations", "0013_outbox_handoff"))
    # ... and on to the latest, whose model the sender uses (later migrations add columns).
    migrate(*MigrationExecutor(connection).loader.graph.leaf_nodes())

    from invitations.models import OutboundEmail

    ids = dict(OutboundEmail.objects.values_list("subject", "message_id"))
    assert ids["sent"] == "" and len({ids[s] for s in ("queued", "failed", "sending")}) == 3
    assert all(ids[s].startswith("<") for s in ("queued", "failed", "sending"))
    assert deliver_pending(MONDAY + HOUR) == (2, 0)  # an old claim has lapsed; its `sending` row may have gone
    assert dict(OutboundEmail.objects.values_list("subject", "state")) == {
        "queued": "sent", "failed": "sent", "sending": "unsure", "sent": "sent"}
