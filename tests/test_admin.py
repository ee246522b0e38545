"""The admin adds through the same domain function and shows each user only their rows."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from invitations.intake import log_invitation
from invitations.models import Client, FollowUpKind, Invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def staff_alice(alice, client):
    alice.is_staff = True
    alice.save()
    alice.user_permissions.set(Permission.objects.filter(content_type__app_label="invitations"))
    client.force_login(alice)
    return client


def add_form(client_pk, **fields):
    """A valid POST for the admin's "add invitation" page, with `fields` changed."""
    data = {
        "client": client_pk, "title": "From the admin", "platform": "upwork", "status": "open", "notes": "",
        "received_at_0": "2026-11-20", "received_at_1": "08:00:00", "reply_by_0": "", "reply_by_1": "",
        "followups-TOTAL_FORMS": "0", "followups-INITIAL_FORMS": "0",
    }
    return {**data, **fields}


@time_machine.travel(NOW, tick=False)
def test_admin_add_sets_owner_reply_by_and_opens_reply_followup(staff_alice, alice):
    acme = Client.objects.create(owner=alice, name="Acme")
    response = staff_alice.post(reverse("admin:invitations_invitation_add"), add_form(acme.pk))

    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation = Invitation.objects.get()
    assert invitation.owner == alice
    # 08:00 in Berlin is 07:00 UTC; the window is 24 hours.
    assert invitation.reply_by == dt.datetime(2026, 11, 21, 7, 0, tzinfo=dt.timezone.utc)
    assert invitation.followups.get().kind == FollowUpKind.REPLY


@time_machine.travel(NOW, tick=False)
def test_admin_add_refuses_reply_by_before_received(staff_alice, alice, unchanged):
    acme = Client.objects.create(owner=alice, name="Acme")
    with unchanged():
        response = staff_alice.post(
            reverse("admin:invitations_invitation_add"), add_form(acme.pk, reply_by_0="2026-11-19", reply_by_1="08:00:00"),
        )

    assert response.status_code == 200
    assert "Reply-by is before the invitation was received." in response.content.decode()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"received_at_0": "20/13/2026"}, "received_at", "Enter a valid date"),
        ({"reply_by_0": "next tuesday", "reply_by_1": "08:00:00"}, "reply_by", "Enter a valid date"),
        ({"received_at_1": "25:61"}, "received_at", "Enter a valid time"),
        ({"platform": "myspace"}, "platform", "Select a valid choice"),
        ({"client": ""}, "client", "This field is required"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"notes": "x" * 10_001}, "notes", "at most 10000 characters"),
    ],
)
def test_admin_add_refuses_bad_input_naming_the_field_and_writes_nothing(staff_alice, alice, unchanged, fields, field, message):
    acme = Client.objects.create(owner=alice, name="Acme")
    with unchanged():
        response = staff_alice.post(reverse("admin:invitations_invitation_add"), add_form(acme.pk, **fields))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field] and message in " ".join(errors[field])


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"name": "   "}, "name", "This field is required"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"platform": "myspace"}, "platform", "Select a valid choice"),
        ({"notes": "x" * 10_001}, "notes", "at most 10000 characters"),
    ],
)
def test_admin_client_add_refuses_bad_input_naming_the_field_and_writes_nothing(staff_alice, unchanged, fields, field, message):
    with unchanged():
        response = staff_alice.post(reverse("admin:invitations_client_add"), {"name": "Acme", **fields})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field] and message in " ".join(errors[field])


@time_machine.travel(NOW, tick=False)
def test_changelist_shows_only_my_invitations_and_searches(staff_alice, alice, bob):
    log_invitation(alice, now=NOW, client="Acme", title="Alice's job")
    log_invitation(bob, now=NOW, client="Globex", title="Bob's job")

    page = staff_alice.get(reverse("admin:invitations_invitation_changelist")).content.decode()
    assert "Alice&#x27;s job" in page and "Bob&#x27;s job" not in page

    found = staff_alice.get(reverse("admin:invitations_invitation_changelist"), {"q": "acme"})
    assert list(found.context["cl"].result_list) == list(Invitation.objects.filter(owner=alice))


def test_client_choices_are_my_clients_only(staff_alice, alice, bob):
    Client.objects.create(owner=alice, name="Mine")
    Client.objects.create(owner=bob, name="Not mine")

    form = staff_alice.get(reverse("admin:invitations_invitation_add")).context["adminform"].form

    assert [c.name for c in form.fields["client"].queryset] == ["Mine"]
