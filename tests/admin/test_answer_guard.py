"""The admin cannot hide an unanswered invitation (issue 19, item 3), nor refer a client to
themselves (item 10), and reads in the user's zone with 24-hour times (item 11)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from invitations.intake.log import log_invitation
from invitations.models import Client, Invitation
from tests.support.admin_forms import add_form, change_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
H = dt.timedelta(hours=1)


@pytest.fixture
def invitation(alice):
    return log_invitation(alice, now=NOW, client="Acme", received_at=NOW - 30 * H)


def change(staff_alice, invitation, **fields):
    return staff_alice.post(reverse("admin:invitations_invitation_change", args=[invitation.pk]),
                            change_form(invitation, **fields))


def inline_errors(response):
    return " ".join(str(errors) for errors in response.context["inline_admin_formsets"][0].formset.errors)


def test_the_inline_refuses_to_close_or_delete_an_unanswered_reply(staff_alice, invitation, unchanged):
    with unchanged():
        closed = change(staff_alice, invitation, **{"followups-0-done_at_0": "2026-11-20", "followups-0-done_at_1": "10:00:00"})
        deleted = change(staff_alice, invitation, **{"followups-0-DELETE": "on"})
        moved = change(staff_alice, invitation, **{"followups-0-due_at_0": "2026-11-25", "followups-0-due_at_1": "10:00:00"})

    assert "its invitation is not answered yet" in inline_errors(closed).lower()
    assert "Its invitation is not answered yet" in str(deleted.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert "change that instead" in inline_errors(moved)


def test_the_follow_up_change_page_refuses_to_close_an_unanswered_reply(staff_alice, invitation, unchanged):
    reply = invitation.followups.get()
    local = timezone.localtime(reply.due_at, invitation.owner.profile.zone)
    data = {"kind": "reply", "invitation": invitation.pk, "client": invitation.client_id,
            "due_at_0": f"{local:%Y-%m-%d}", "due_at_1": f"{local:%H:%M:%S}", "done_at_0": "2026-11-20",
            "done_at_1": "10:00:00", "snoozed_until_0": "", "snoozed_until_1": "", "done_channel": "", "done_note": "",
            "note": ""}

    with unchanged():
        response = staff_alice.post(reverse("admin:invitations_followup_change", args=[reply.pk]), data)

    assert response.status_code == 200
    assert "not answered yet" in str(response.context["adminform"].form.errors["done_at"])


def test_a_client_cannot_be_their_own_referrer_in_the_admin(staff_alice, alice, unchanged):
    acme = Client.objects.create(owner=alice, name="Acme")
    with unchanged():
        response = staff_alice.post(reverse("admin:invitations_invitation_add"), add_form(acme.pk, referred_by=acme.pk))
    assert "A client cannot refer themselves" in str(response.context["adminform"].form.errors["referred_by"])


def test_an_untitled_invitation_has_one_name_in_the_list(staff_alice, invitation):
    page = staff_alice.get(reverse("admin:invitations_invitation_changelist")).content.decode()
    assert ">Untitled invitation</a>" in page


def test_follow_up_labels_and_answer_times_read_in_the_users_zone_with_24_hour_times(staff_alice, alice):
    inv = log_invitation(alice, now=NOW, client="Acme", title="Evening job", received_at=NOW - 30 * H,
                         reply_by=dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.timezone.utc))
    Invitation.objects.filter(pk=inv.pk).update(responded_at=dt.datetime(2026, 11, 20, 15, 5, tzinfo=dt.timezone.utc))

    page = staff_alice.get(reverse("admin:invitations_invitation_change", args=[inv.pk])).content.decode()

    assert "Reply to the invitation (due 2026-11-20 17:30)" in page  # Berlin, not UTC's 16:30
    assert "20 Nov 2026, 16:05" in page and "p.m." not in page
