"""The admin adds through the same domain function and shows each user only their rows."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.forms.admin import InvitationAdminForm
from invitations.intake.log import log_invitation
from invitations.models import AnswerEvent, Client, FollowUpKind, Invitation, Status
from invitations.reminders.sweep import sweep
from tests.support.admin_forms import add_form, change_form

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


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
def test_admin_edit_of_reply_by_moves_the_reply_followup_and_unflags(staff_alice, alice):
    invitation = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=30))
    sweep(NOW)
    invitation.refresh_from_db()
    assert invitation.flagged_at == NOW

    # A new deadline tomorrow at 12:00 in Berlin: 11:00 UTC.
    response = staff_alice.post(
        reverse("admin:invitations_invitation_change", args=[invitation.pk]),
        change_form(invitation, reply_by_0="2026-11-21", reply_by_1="12:00:00"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation.refresh_from_db()
    tomorrow_noon = dt.datetime(2026, 11, 21, 11, 0, tzinfo=dt.timezone.utc)
    assert (invitation.reply_by, invitation.flagged_at) == (tomorrow_noon, None)
    assert invitation.followups.get(kind=FollowUpKind.REPLY).due_at == tomorrow_noon


@time_machine.travel(NOW, tick=False)
def test_admin_edit_of_other_fields_leaves_the_flag_alone(staff_alice, alice):
    invitation = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=30))
    sweep(NOW)
    invitation.refresh_from_db()

    response = staff_alice.post(
        reverse("admin:invitations_invitation_change", args=[invitation.pk]), change_form(invitation, title="Renamed"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation.refresh_from_db()
    assert (invitation.title, invitation.flagged_at) == ("Renamed", NOW)


# Every answer field, typed in as if the admin could set it.
TYPED_ANSWER = {
    "status": "declined", "decline_reason": "rate", "response_channel": "email", "response_message": "Typed in.",
    "responded_at_0": "2026-11-20", "responded_at_1": "09:00:00", "busy_until": "2026-12-31",
    "interview_at_0": "2026-11-25", "interview_at_1": "10:00:00",
}


@time_machine.travel(NOW, tick=False)
def test_admin_change_shows_the_answer_and_links_to_the_respond_page_instead_of_editing_it(staff_alice, alice):
    invitation = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=1))
    respond(invitation, now=NOW, action="decline", reason="not_a_fit", message="Not for me, thanks.")
    url = reverse("admin:invitations_invitation_change", args=[invitation.pk])

    response = staff_alice.get(url)

    form = response.context["adminform"].form
    assert not set(TYPED_ANSWER) & set(form.fields) and not {"responded_at", "interview_at"} & set(form.fields)
    page = response.content.decode()
    assert f'<a href="{reverse("respond", args=[invitation.pk])}">Answer on the respond page</a>' in page
    assert "Not a fit for my skills" in page and "Not for me, thanks." in page  # shown, read-only


@time_machine.travel(NOW, tick=False)
def test_a_superuser_is_told_only_the_owner_answers_and_a_withdrawn_one_needs_no_answer(client, alice, make_user):
    root = make_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    client.force_login(root)
    invitation = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=1))
    url = reverse("admin:invitations_invitation_change", args=[invitation.pk])

    assert "Only alice answers it, on their respond page." in client.get(url).content.decode()
    respond(invitation, now=NOW, action="withdrawn")
    page = client.get(url).content.decode()
    assert "there is nothing left to answer" in page and reverse("respond", args=[invitation.pk]) not in page


@time_machine.travel(NOW, tick=False)
def test_an_answer_posted_through_the_admin_change_form_changes_nothing(staff_alice, alice, unchanged):
    invitation = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=1))
    url = reverse("admin:invitations_invitation_change", args=[invitation.pk])

    with unchanged():
        response = staff_alice.post(url, change_form(invitation, **TYPED_ANSWER))

    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason, invitation.responded_at) == (Status.OPEN, "", None)
    assert not AnswerEvent.objects.exists()
    assert invitation.followups.get().kind == FollowUpKind.REPLY  # still open: nothing was answered


@time_machine.travel(NOW, tick=False)
def test_an_answer_given_while_the_admin_form_is_saved_is_not_written_back(staff_alice, alice, monkeypatch):
    invitation = log_invitation(alice, now=NOW, client="Acme", title="Old title", received_at=NOW - dt.timedelta(hours=1))
    real_clean = InvitationAdminForm.clean

    def clean_while_the_respond_page_declines(form):
        # The admin has read the invitation (open) for this request; the respond page answers now.
        respond(Invitation.objects.get(pk=invitation.pk), now=NOW, action="decline", reason="rate")
        return real_clean(form)

    monkeypatch.setattr(InvitationAdminForm, "clean", clean_while_the_respond_page_declines)
    response = staff_alice.post(reverse("admin:invitations_invitation_change", args=[invitation.pk]),
                                change_form(invitation, title="New title"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation.refresh_from_db()
    assert (invitation.title, invitation.status, invitation.decline_reason) == ("New title", Status.DECLINED, "rate")


@time_machine.travel(NOW, tick=False)
def test_admin_add_logs_the_invitation_open_whatever_answer_is_posted(staff_alice, alice):
    acme = Client.objects.create(owner=alice, name="Acme")
    assert "status" not in staff_alice.get(reverse("admin:invitations_invitation_add")).context["adminform"].form.fields

    response = staff_alice.post(reverse("admin:invitations_invitation_add"), add_form(acme.pk, **TYPED_ANSWER))

    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.decline_reason, invitation.busy_until) == (Status.OPEN, "", None)
    assert invitation.followups.get().done_at is None


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
