"""Editing a client (one per name, any case) and merging two: all of it moves, in one transaction."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from invitations.answers.respond import respond
from invitations.followups.lifecycle import open_followup
from invitations.intake.log import log_invitation
from invitations.models import Client, FollowUp, FollowUpKind, Invitation
from invitations.workspace import clients as workspace_clients
from invitations.workspace.clients import edit_client, merge_clients

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


class Injected(Exception):
    pass


@pytest.fixture
def acme(alice, now):
    return log_invitation(alice, now=now, client="Acme", company="Acme Ltd", received_at=now - H).client


def test_an_edit_saves_every_field_and_refreshes_the_search(acme):
    edited = edit_client(acme, name="  Acme Corp ", company="Acme Corporation", email="hi@acme.example",
                         phone="+1 555 0100", platform="upwork", profile_url="https://upwork.example/acme",
                         notes="Pays on time.")

    acme.refresh_from_db()
    assert (acme.name, acme.company, acme.email, acme.phone, acme.platform, acme.profile_url, acme.notes) == (
        "Acme Corp", "Acme Corporation", "hi@acme.example", "+1 555 0100", "upwork", "https://upwork.example/acme",
        "Pays on time.")
    assert edited.search_text == "acme corp acme corporation hi acme example pays on time"


@pytest.mark.parametrize("name", ["Nordlight", "NORDLIGHT", " nordlight "])
def test_a_name_another_client_has_in_any_case_is_refused(alice, acme, unchanged, name):
    Client.objects.create(owner=alice, name="Nordlight")
    with unchanged(), pytest.raises(ValidationError) as refused:
        edit_client(acme, name=name)
    assert "merge the two instead" in refused.value.message_dict["name"][0]


def test_the_same_name_in_another_case_is_its_own_and_someone_elses_is_not_a_twin(alice, bob, acme):
    Client.objects.create(owner=bob, name="Nordlight")

    assert edit_client(acme, name="ACME").name == "ACME"
    assert edit_client(acme, name="Nordlight").name == "Nordlight"


@pytest.mark.parametrize("values, field", [
    ({"name": "  "}, "name"), ({"email": "not an address"}, "email"), ({"platform": "myspace"}, "platform"),
    ({"profile_url": "javascript:alert(1)"}, "profile_url"), ({"notes": "x\x00y"}, "notes"),
    ({"notes": "x" * 10_001}, "notes"),
])
def test_bad_values_are_refused_by_field_and_nothing_is_written(acme, unchanged, values, field):
    with unchanged(), pytest.raises(ValidationError) as refused:
        edit_client(acme, **values)
    assert field in refused.value.message_dict


def test_a_twin_saved_between_the_check_and_the_save_is_refused_by_the_constraint(alice, acme, monkeypatch):
    Client.objects.create(owner=alice, name="Nordlight")
    monkeypatch.setattr(workspace_clients, "_twin", lambda client: None)  # the check saw no twin yet
    with pytest.raises(ValidationError) as refused:
        edit_client(acme, name="nordlight")
    assert "merge the two instead" in refused.value.message_dict["name"][0]
    assert Client.objects.get(pk=acme.pk).name == "Acme"


@pytest.fixture
def twins(alice, now):
    """Acme, and "Acme Inc" (the same company logged twice): one invitation each, a referral, a reconnect."""
    first = log_invitation(alice, now=now, client="Acme", received_at=now - 3 * H)
    second = log_invitation(alice, now=now, client="Acme Inc", email="ops@acme.example", phone="555",
                            received_at=now - 2 * H, referred_by="Maya")
    respond(second, now=now - H, action="decline", busy_until=(now + dt.timedelta(days=9)).date())
    referral = log_invitation(alice, now=now, client="Nordlight", referred_by="Acme Inc", received_at=now - H)
    self_referral = log_invitation(alice, now=now, client="Acme", referred_by="Acme Inc", received_at=now - H)
    open_followup(alice, FollowUpKind.CUSTOM, now=now, due_at=now + H, client=second.client, note="Send the deck")
    Client.objects.filter(pk=second.client_id).update(notes="Prefers calls.")
    return first.client, second.client, referral, self_referral


def test_a_merge_moves_invitations_referrals_and_follow_ups_and_deletes_the_other(alice, twins):
    keep, other, referral, self_referral = twins

    merged = merge_clients(keep, other)

    assert not Client.objects.filter(pk=other.pk).exists()
    assert Invitation.objects.filter(owner=alice, client=merged).count() == 3
    assert Invitation.objects.get(pk=referral.pk).referred_by == merged
    assert Invitation.objects.get(pk=self_referral.pk).referred_by is None  # no client refers themselves
    assert sorted(FollowUp.objects.filter(client=merged, done_at=None).values_list("kind", flat=True)) == [
        "custom", "reconnect", "reply", "reply"]
    assert (merged.name, merged.email, merged.phone, merged.notes) == ("Acme", "ops@acme.example", "555",
                                                                       "Prefers calls.")


def test_a_merge_that_fails_half_way_changes_nothing(alice, twins, monkeypatch, unchanged):
    keep, other, _, _ = twins

    def fail(*args, **kwargs):
        raise Injected

    monkeypatch.setattr(Client, "delete", fail)  # after every row has moved
    with unchanged(), pytest.raises(Injected):
        merge_clients(keep, other)


def test_merging_a_client_with_itself_or_someone_elses_is_refused(alice, bob, acme, unchanged, now):
    bobs = log_invitation(bob, now=now, client="Acme", received_at=now - H).client
    with unchanged():
        for other in (acme, bobs):
            with pytest.raises(ValidationError) as refused:
                merge_clients(acme, other)
            assert "other" in refused.value.message_dict
