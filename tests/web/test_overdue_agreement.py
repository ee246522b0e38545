"""The dashboard, the digest and the admin agree on what is overdue, whatever state an invitation
and its follow-ups are in (issue 19, item 3), and "Nobody is being ghosted" is said only when
nobody is: Done on an unanswered invitation's reply no longer hides it."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.followups.agenda import NOBODY_GHOSTED
from invitations.followups.lifecycle import snooze
from invitations.followups.reconnects import finish
from invitations.intake.log import log_invitation, move_reply_by
from invitations.models import FollowUp, FollowUpKind, Invitation
from invitations.reminders.digest_content import build_digest
from invitations.reminders.sweep import sweep

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
H = dt.timedelta(hours=1)


def reply(invitation):
    return FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.REPLY, done_at=None)


def refused_done(invitation):
    with pytest.raises(ValidationError):
        finish(reply(invitation), now=NOW)


# Each state: what is done to an invitation received 30 hours ago (reply-by 6 hours ago), and
# whether it is overdue then. Snoozed ones are overdue but not listed, as snoozing promises.
STATES = {
    "open, inside its window": (lambda inv: move_reply_by(inv, NOW + 5 * H, now=NOW), False),
    "overdue": (lambda inv: None, True),
    "overdue and flagged by the sweep": (lambda inv: sweep(NOW), True),
    "overdue, answer saved but not sent": (lambda inv: respond(inv, now=NOW, action="decline", sent=False), True),
    "overdue, Done pressed on its reply": (refused_done, True),
    "overdue, its reply snoozed": (lambda inv: snooze(reply(inv), until=NOW + 3 * H, now=NOW), True),
    "overdue, its snooze over": (lambda inv: FollowUp.objects.filter(invitation=inv).update(snoozed_until=NOW - H), True),
    "overdue, its reply closed behind noghost's back": (
        lambda inv: FollowUp.objects.filter(invitation=inv).update(done_at=NOW - H), True),
    "declined late": (lambda inv: respond(inv, now=NOW, action="decline"), False),
    "accepted, a cancellation saved but not sent": (
        lambda inv: (respond(inv, now=NOW - 7 * H, action="accept", interview_at=NOW + 50 * H),
                     respond(inv, now=NOW, action="decline", sent=False)), False),
    "withdrawn by the client": (lambda inv: respond(inv, now=NOW, action="withdrawn"), False),
    "its reply-by moved ahead": (lambda inv: move_reply_by(inv, NOW + 48 * H, now=NOW), False),
    "its reply-by moved into the past": (lambda inv: move_reply_by(inv, NOW - 2 * H, now=NOW), True),
}


def what_each_surface_says(staff_alice, alice):
    """(the dashboard's overdue section and page, the digest's overdue pks, the admin's overdue pks and page)."""
    response = staff_alice.get(reverse("dashboard"))
    digest = {int(item.url.rstrip("/").split("/")[-2]) for item in build_digest(alice, now=NOW).overdue}
    admin = staff_alice.get(reverse("admin:invitations_invitation_changelist"), {"overdue": "yes"})
    return (response.context["sections"][0], response.content.decode(), digest,
            {obj.pk for obj in admin.context["cl"].result_list}, admin.content.decode())


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("state", STATES)
def test_dashboard_digest_and_admin_agree_on_what_is_overdue(staff_alice, alice, state):
    make_state, overdue = STATES[state]
    invitation = log_invitation(alice, now=NOW, client="Maya", title="Django API", received_at=NOW - 30 * H)
    make_state(invitation)
    snoozed = FollowUp.objects.filter(invitation=invitation, done_at=None, snoozed_until__gt=NOW).exists()

    section, dashboard, digest, admin, admin_page = what_each_surface_says(staff_alice, alice)

    expected = {invitation.pk} if overdue else set()
    assert admin == expected
    assert digest == (set() if snoozed else expected)
    listed = {fu.invitation_id for fu in section.items}
    assert listed <= expected and len(listed) + section.snoozed + section.unlisted == len(expected)
    assert (NOBODY_GHOSTED in dashboard) is (not overdue)
    assert ('<span class="ng-badge ng-overdue">Overdue</span>' in admin_page) is overdue


@time_machine.travel(NOW, tick=False)
def test_a_snoozed_overdue_invitation_is_counted_not_hidden(staff_alice, alice):
    invitation = log_invitation(alice, now=NOW, client="Maya", title="Django API", received_at=NOW - 30 * H)
    snooze(reply(invitation), until=NOW + 3 * H, now=NOW)

    page = staff_alice.get(reverse("dashboard")).content.decode()

    assert "Nobody is being ghosted" not in page
    assert "1 overdue invitation snoozed: it comes back when the snooze ends." in page


@time_machine.travel(NOW, tick=False)
def test_an_unsent_answer_says_so_on_the_dashboard_in_the_digest_and_in_the_admin(staff_alice, alice):
    invitation = log_invitation(alice, now=NOW, client="Maya", title="Django API", received_at=NOW - 30 * H)
    respond(invitation, now=NOW, action="decline", sent=False)

    page = staff_alice.get(reverse("dashboard")).content.decode()
    assert "answer drafted, not sent" in page
    assert f'href="/invitations/{invitation.pk}/#unsent">Send it</a>' in page
    [item] = build_digest(alice, now=NOW).overdue
    assert item.note.startswith("Answer drafted, not sent")
    admin = staff_alice.get(reverse("admin:invitations_invitation_changelist")).content.decode()
    assert '<span class="ng-badge ng-drafted">drafted, not sent</span>' in admin
    assert Invitation.objects.get().status == "open"
