"""Editing a client, merging another into it, and logging a new invitation from the client page."""

import datetime as dt

import pytest
from django.urls import reverse

from invitations.intake.log import log_invitation
from invitations.models import Client, Invitation

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def acme(alice, now):
    return log_invitation(alice, now=now, client="Acme", company="Acme Ltd", email="hi@acme.example",
                          phone="555 0100", platform="upwork", received_at=now - H).client


FIELDS = {"name": "Acme Corp", "company": "Acme Corporation", "email": "ops@acme.example", "phone": "+1 555 0199",
          "platform": "fiverr", "profile_url": "fiverr.example/acme", "notes": "Pays on time."}


def test_the_edit_page_saves_every_field(alice_client, acme):
    form = alice_client.get(reverse("client_edit", args=[acme.pk]))
    assert form.status_code == 200 and 'value="hi@acme.example"' in form.content.decode()

    response = alice_client.post(reverse("client_edit", args=[acme.pk]), FIELDS)

    assert response.status_code == 302 and response["Location"] == reverse("client_detail", args=[acme.pk])
    acme.refresh_from_db()
    assert (acme.name, acme.phone, acme.platform, acme.profile_url) == (
        "Acme Corp", "+1 555 0199", "fiverr", "https://fiverr.example/acme")


def test_a_name_taken_in_any_case_is_refused_on_the_field_with_the_way_out(alice_client, alice, acme, unchanged):
    Client.objects.create(owner=alice, name="Nordlight")
    with unchanged():
        response = alice_client.post(reverse("client_edit", args=[acme.pk]), {**FIELDS, "name": "NORDLIGHT"})
    assert response.status_code == 400
    assert "merge the two instead" in response.content.decode()
    assert "name" in response.context["form"].errors


def test_merging_asks_first_then_moves_everything_here(alice_client, alice, acme, now):
    other = log_invitation(alice, now=now, client="Acme Inc", title="Second", received_at=now - 2 * H).client

    asked = alice_client.post(reverse("client_merge", args=[acme.pk]), {"other": "acme inc"})
    assert asked.status_code == 200 and "Merge Acme Inc into Acme?" in asked.content.decode()
    assert "1 invitation from Acme Inc" in asked.content.decode()
    assert Client.objects.filter(pk=other.pk).exists()  # nothing merged yet

    done = alice_client.post(reverse("client_merge", args=[acme.pk]), {"other": "Acme Inc", "confirm": "1"})

    assert done.status_code == 302 and done["Location"] == reverse("client_detail", args=[acme.pk])
    assert not Client.objects.filter(pk=other.pk).exists()
    assert Invitation.objects.filter(client=acme).count() == 2


@pytest.mark.parametrize("other, message", [("Nobody", "no client of that name"), ("ACME", "That is this client")])
def test_merging_with_nobody_or_itself_is_refused(alice_client, acme, unchanged, other, message):
    with unchanged():
        response = alice_client.post(reverse("client_merge", args=[acme.pk]), {"other": other, "confirm": "1"})
    assert response.status_code == 400 and message in response.content.decode()


def test_someone_elses_client_cannot_be_merged_in_by_name(alice_client, bob, acme, now, unchanged):
    log_invitation(bob, now=now, client="Bobs Client", received_at=now - H)
    with unchanged():
        response = alice_client.post(reverse("client_merge", args=[acme.pk]), {"other": "Bobs Client", "confirm": "1"})
    assert response.status_code == 400


def test_the_client_page_logs_a_new_invitation_with_the_form_filled_in(alice_client, acme):
    detail = alice_client.get(reverse("client_detail", args=[acme.pk])).content.decode()
    link = f"{reverse('quick_add')}?client=Acme&amp;company=Acme+Ltd&amp;email=hi%40acme.example&amp;phone=555+0100&amp;platform=upwork"
    assert link in detail
    assert f'href="{reverse("client_edit", args=[acme.pk])}"' in detail

    form = alice_client.get(link.replace("&amp;", "&")).context["form"]
    assert {name: form[name].value() for name in ("client", "company", "email", "phone", "platform")} == {
        "client": "Acme", "company": "Acme Ltd", "email": "hi@acme.example", "phone": "555 0100", "platform": "upwork"}


def test_quick_add_takes_a_phone_number(alice_client, alice):
    response = alice_client.post(reverse("quick_add"), {"client": "Nordlight", "phone": "+49 30 1234567",
                                                        "platform": "direct"})
    assert response.status_code == 302
    assert Client.objects.get(owner=alice, name="Nordlight").phone == "+49 30 1234567"
