"""The invitation's follow-ups inline in the admin: one open per kind, said on the row."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from invitations.intake.log import log_invitation
from invitations.models import Client, FollowUp, FollowUpKind, Invitation
from tests.support.admin_forms import add_form, change_form

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def inline_errors(response):
    return [errors for errors in response.context["inline_admin_formsets"][0].formset.errors if errors]


@time_machine.travel(NOW, tick=False)
def test_admin_add_with_a_reply_followup_inline_says_logging_opens_it(staff_alice, alice, unchanged):
    acme = Client.objects.create(owner=alice, name="Acme")
    data = add_form(acme.pk, **{
        "followups-TOTAL_FORMS": "1", "followups-0-kind": "reply",
        "followups-0-due_at_0": "2026-11-22", "followups-0-due_at_1": "09:00:00",
    })

    with unchanged():
        response = staff_alice.post(reverse("admin:invitations_invitation_add"), data)

    assert response.status_code == 200
    [errors] = inline_errors(response)
    assert "Logging opens the reply follow-up itself" in " ".join(errors["kind"])


@time_machine.travel(NOW, tick=False)
def test_admin_add_with_another_kind_of_followup_inline_saves_both(staff_alice, alice):
    acme = Client.objects.create(owner=alice, name="Acme")
    data = add_form(acme.pk, **{
        "followups-TOTAL_FORMS": "1", "followups-0-kind": "custom", "followups-0-note": "send the portfolio",
        "followups-0-due_at_0": "2026-11-22", "followups-0-due_at_1": "09:00:00",
    })

    response = staff_alice.post(reverse("admin:invitations_invitation_add"), data)

    assert response.status_code == 302
    assert sorted(Invitation.objects.get().followups.values_list("kind", "owner")) == [("custom", alice.pk), ("reply", alice.pk)]


@time_machine.travel(NOW, tick=False)
def test_admin_change_refuses_a_second_open_followup_of_a_kind(staff_alice, alice, unchanged):
    invitation = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=1))
    data = change_form(invitation, **{
        "followups-TOTAL_FORMS": "2", "followups-1-invitation": invitation.pk, "followups-1-kind": "reply",
        "followups-1-due_at_0": "2026-11-22", "followups-1-due_at_1": "09:00:00",
    })

    with unchanged():
        response = staff_alice.post(reverse("admin:invitations_invitation_change", args=[invitation.pk]), data)

    assert response.status_code == 200
    [errors] = inline_errors(response)
    assert "already has an open follow-up of this kind" in " ".join(errors["kind"])


@time_machine.travel(NOW, tick=False)
def test_admin_change_accepts_a_new_reply_followup_once_the_old_one_is_done(staff_alice, alice):
    invitation = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=1))
    data = change_form(invitation, **{
        "followups-0-done_at_0": "2026-11-20", "followups-0-done_at_1": "10:00:00",
        "followups-TOTAL_FORMS": "2", "followups-1-invitation": invitation.pk, "followups-1-kind": "reply",
        "followups-1-due_at_0": "2026-11-22", "followups-1-due_at_1": "09:00:00",
    })

    response = staff_alice.post(reverse("admin:invitations_invitation_change", args=[invitation.pk]), data)

    assert response.status_code == 302
    assert invitation.followups.filter(kind="reply", done_at=None).count() == 1




@time_machine.travel(NOW, tick=False)
def test_a_followup_added_inline_is_opened_through_the_domain_with_its_client(staff_alice, alice):
    """Like any other follow-up: about the invitation's client, opened now, snoozed as typed."""
    invitation = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(hours=1))
    data = change_form(invitation, **{
        "followups-TOTAL_FORMS": "2", "followups-1-invitation": invitation.pk, "followups-1-kind": "custom",
        "followups-1-note": "send the portfolio", "followups-1-due_at_0": "2026-11-22", "followups-1-due_at_1": "09:00:00",
        "followups-1-snoozed_until_0": "2026-11-21", "followups-1-snoozed_until_1": "10:00:00",
    })

    response = staff_alice.post(reverse("admin:invitations_invitation_change", args=[invitation.pk]), data)

    assert response.status_code == 302
    added = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.CUSTOM)
    assert (added.owner, added.client, added.note, added.created_at) == (alice, invitation.client, "send the portfolio", NOW)
    assert added.snoozed_until == dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.timezone.utc)  # 10:00 in Berlin
