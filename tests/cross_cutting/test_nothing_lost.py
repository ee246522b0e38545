"""Nothing lost: multi-row changes are one transaction, and a backup restores every row."""

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from invitations.accounts import make_freelancer
from invitations.intake.log import log_invitation
from invitations.management.commands import seed_demo
from invitations.models import Client, FollowUp, Invitation
from tests.support.isolation import make_world
from tests.support.snapshots import RESTAMPED

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


class Injected(Exception):
    """The failure a test injects half-way through a change."""


def fail(*args, **kwargs):
    raise Injected


# --- a failure half-way leaves nothing half-written ----------------------------------------------

@pytest.mark.django_db
def test_logging_rolls_back_new_clients_when_the_followup_fails(alice, monkeypatch, unchanged):
    monkeypatch.setattr("invitations.intake.log.open_followup", fail)
    with unchanged(), pytest.raises(Injected):
        log_invitation(alice, now=NOW, client="New Client", referred_by="New Referrer", title="Job")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_quick_add_writes_nothing_when_a_later_step_fails(client, alice, monkeypatch, unchanged):
    client.force_login(alice)
    monkeypatch.setattr("invitations.intake.log.open_followup", fail)
    with unchanged(), pytest.raises(Injected):
        client.post(reverse("quick_add"), {"client": "New Client", "referred_by": "Someone", "platform": "upwork"})


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_admin_add_writes_nothing_when_the_followup_fails(client, alice, monkeypatch, unchanged):
    make_freelancer(alice)
    client.force_login(alice)
    acme = Client.objects.create(owner=alice, name="Acme")
    monkeypatch.setattr("invitations.intake.log.open_followup", fail)
    with unchanged(), pytest.raises(Injected):
        client.post(
            reverse("admin:invitations_invitation_add"),
            {"client": acme.pk, "platform": "upwork", "status": "open", "received_at_0": "2026-11-20",
             "received_at_1": "08:00:00", "followups-TOTAL_FORMS": "0", "followups-INITIAL_FORMS": "0"},
        )


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_admin_change_with_inlines_is_one_transaction(client, alice, monkeypatch, unchanged):
    make_freelancer(alice)
    client.force_login(alice)
    invitation = log_invitation(alice, now=NOW, client="Acme", title="Before", received_at=NOW - dt.timedelta(hours=1))
    reply = invitation.followups.get()
    data = {
        "client": invitation.client_id, "title": "After", "platform": "direct", "status": "open",
        "received_at_0": "2026-11-20", "received_at_1": "09:00:00", "reply_by_0": "2026-11-21", "reply_by_1": "09:00:00",
        "followups-TOTAL_FORMS": "2", "followups-INITIAL_FORMS": "1",
        "followups-0-id": reply.pk, "followups-0-invitation": invitation.pk, "followups-0-kind": "reply",
        "followups-0-due_at_0": "2026-11-21", "followups-0-due_at_1": "09:00:00",
        "followups-1-invitation": invitation.pk, "followups-1-kind": "custom",
        "followups-1-due_at_0": "2026-11-25", "followups-1-due_at_1": "09:00:00", "followups-1-note": "call back",
    }
    # The invitation is saved first (title "After"), then the new inline follow-up fails.
    monkeypatch.setattr(FollowUp, "save", fail)
    with unchanged(), pytest.raises(Injected):
        client.post(reverse("admin:invitations_invitation_change", args=[invitation.pk]), data)
    assert Invitation.objects.get().title == "Before"


@pytest.mark.django_db
def test_seeding_is_all_or_nothing(django_user_model, monkeypatch, unchanged):
    demo = django_user_model.objects.create_user("demo")
    calls = []

    def answer_then_fail(invitation, rng, *, now):
        calls.append(invitation.pk)
        if len(calls) == 5:
            raise Injected

    monkeypatch.setattr(seed_demo, "answer", answer_then_fail)
    with unchanged(), pytest.raises(Injected):
        seed_demo.seed_month(demo, now=NOW)


@pytest.mark.django_db
def test_a_restore_that_fails_half_way_changes_nothing(alice, tmp_path, monkeypatch, unchanged):
    make_world(alice, now=NOW)
    dump = tmp_path / "dump.xml"
    call_command("dumpdata", "invitations", "auth.user", format="xml", output=str(dump), verbosity=0)
    Invitation.objects.update(title="changed after the dump")

    real_call_command = call_command

    def loaddata_fails(name, *args, **kwargs):
        if name == "loaddata":
            raise Injected
        return real_call_command(name, *args, **kwargs)

    monkeypatch.setattr("invitations.maintenance.backup.call_command", loaddata_fails)
    with unchanged(), pytest.raises(Injected):
        call_command("restore", str(dump), "--no-input")


# --- backup and restore --------------------------------------------------------------------------

def everything():
    """Every row of the project's tables, the users, their groups and the groups' permissions."""
    User = get_user_model()
    state = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in [*apps.get_app_config("invitations").get_models(), User, Group]
        if model._meta.label not in RESTAMPED
    }
    state["user groups"] = sorted(User.groups.through.objects.values_list("user__username", "group__name"))
    state["group permissions"] = sorted(Group.permissions.through.objects.values_list("group__name", "permission__codename"))
    return state


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_a_seeded_database(alice, tmp_path):
    if not Group.objects.filter(name="Freelancer").exists():  # an earlier transactional test flushed it
        call_command("migrate", "invitations", "0001", verbosity=0)
        call_command("migrate", "invitations", verbosity=0)
    call_command("seed_demo", verbosity=0)
    make_freelancer(alice)
    make_world(alice, now=NOW, name="Ünïcødé <b>&</b> 🙂", title="مرحبا")
    before = everything()
    assert len(before["invitations.Invitation"]) > 20
    path = tmp_path / "noghost.backup"

    call_command("backup", str(path))
    Invitation.objects.filter(owner=alice).update(title="lost")
    FollowUp.objects.all().delete()
    Client.objects.create(owner=alice, name="Written after the backup")
    assert everything() != before

    call_command("restore", str(path), "--no-input")

    after = everything()
    for table, rows in before.items():
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table]):
            assert new == old, table
    # The restored database takes new rows (its id sequences were restored too).
    log_invitation(alice, now=NOW, client="After the restore")


def test_restore_refuses_a_missing_file(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "nope"), "--no-input")
