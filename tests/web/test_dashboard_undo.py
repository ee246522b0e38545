"""The dashboard's smaller promises (issue 19, item 13): client names lead to the client, the
week's interviews are listed, and Done and Snooze say what they did with an Undo, with or
without JavaScript."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.followups.lifecycle import open_followup
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
H = dt.timedelta(hours=1)


@pytest.fixture
def todo(alice):
    invitation = log_invitation(alice, now=NOW, client="Maya Lindqvist", title="Django API", received_at=NOW - 2 * H)
    return open_followup(alice, FollowUpKind.CONFIRM_IN_WRITING, now=NOW, due_at=NOW - H, invitation=invitation)[0]


def undo_form(page):
    """The Undo form a message carries: (its action, its token)."""
    found = re.search(r'<form method="post" action="([^"]+)" class="inline undo">.*?name="token" value="([^"]+)"', page)
    return found.groups() if found else None


def test_client_names_link_to_the_client_page(alice_in, todo):
    page = alice_in.get("/").content.decode()
    assert f'<a class="client-link" href="/clients/{todo.invitation.client_id}/"><strong>Maya Lindqvist</strong></a>' in page


def test_the_next_seven_days_of_interviews_are_listed(alice_in, alice):
    soon = log_invitation(alice, now=NOW, client="Tom Okafor", title="Billing", received_at=NOW - H)
    respond(soon, now=NOW, action="accept", interview_at=NOW + 3 * 24 * H)
    later = log_invitation(alice, now=NOW, client="Sofia Reyes", title="Shop", received_at=NOW - H)
    respond(later, now=NOW, action="accept", interview_at=NOW + 9 * 24 * H)
    cancelled = log_invitation(alice, now=NOW, client="Jonas Weber", title="Rail", received_at=NOW - H)
    respond(cancelled, now=NOW, action="accept", interview_at=NOW + 2 * 24 * H)
    respond(cancelled, now=NOW + H, action="decline")

    response = alice_in.get("/")

    assert [inv.pk for inv in response.context["interviews"]] == [soon.pk]
    section = response.content.decode().split('id="needs-interviews"')[1].split("</div>\n</section>")[0]
    assert "Tom Okafor" in section and "Mon 23 Nov, 10:00" in section
    assert "Sofia Reyes" not in section and "Jonas Weber" not in section

    respond(soon, now=NOW + H, action="decline", sent=False)  # a cancellation written, not sent: still on
    section = alice_in.get("/").content.decode().split('id="needs-interviews"')[1]
    assert "Tom Okafor" in section and "cancellation drafted, not sent" in section


def test_done_without_javascript_says_what_happened_with_an_undo_that_reopens_it(alice_in, todo):
    page = alice_in.post(reverse("followup_done", args=[todo.pk]), {"next": "/"}, follow=True).content.decode()

    assert "Done: “Confirm the call in writing” (Django API from Maya Lindqvist)." in page
    action, token = undo_form(page)
    assert action == reverse("followup_undo", args=[todo.pk])

    page = alice_in.post(action, {"token": token, "next": "/"}, follow=True).content.decode()

    assert "Undone: “Confirm the call in writing”" in page
    todo.refresh_from_db()
    assert (todo.done_at, todo.done_note) == (None, "")
    assert alice_in.post(action, {"token": token, "next": "/"}, follow=True).status_code == 200
    assert "changed since; nothing was undone" in alice_in.post(action, {"token": token}, follow=True).content.decode()


def test_snooze_with_javascript_answers_json_and_its_undo_brings_it_back(alice_in, todo):
    answer = alice_in.post(reverse("followup_snooze", args=[todo.pk]), {"until": "hour"},
                           headers={"X-Requested-With": "fetch"}).json()

    assert answer["message"].startswith("Snoozed “Confirm the call in writing”")
    assert answer["undo_url"] == reverse("followup_undo", args=[todo.pk])
    todo.refresh_from_db()
    assert todo.snoozed_until == NOW + H

    alice_in.post(answer["undo_url"], {"token": answer["undo"]}, headers={"X-Requested-With": "fetch"})
    todo.refresh_from_db()
    assert todo.snoozed_until is None


def test_undoing_a_reconnect_reopens_the_ones_it_closed(alice_in, alice):
    then = NOW - 14 * 24 * H
    reconnects = []
    for busy_until in (dt.date(2026, 11, 19), dt.date(2026, 11, 22)):
        invitation = log_invitation(alice, now=then, client="Maya", received_at=then)
        respond(invitation, now=then, action="decline", busy_until=busy_until)
        reconnects.append(FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT))

    answer = alice_in.post(reverse("followup_done", args=[reconnects[0].pk]), headers={"X-Requested-With": "fetch"}).json()
    assert FollowUp.objects.filter(pk__in=[r.pk for r in reconnects], done_at=NOW).count() == 2
    alice_in.post(answer["undo_url"], {"token": answer["undo"]})

    assert FollowUp.objects.filter(pk__in=[r.pk for r in reconnects], done_at=None).count() == 2


def test_an_undo_token_is_for_its_own_follow_up_and_its_owner_only(client, alice_in, bob, alice, todo, unchanged):
    answer = alice_in.post(reverse("followup_done", args=[todo.pk]), headers={"X-Requested-With": "fetch"}).json()
    other = open_followup(alice, FollowUpKind.CUSTOM, now=NOW, due_at=NOW, client=todo.client)[0]
    other_done = alice_in.post(reverse("followup_done", args=[other.pk]), headers={"X-Requested-With": "fetch"})
    assert other_done.status_code == 200
    bobs = client.__class__()
    bobs.force_login(bob)

    with unchanged():
        alice_in.post(reverse("followup_undo", args=[other.pk]), {"token": answer["undo"]})  # another one's token
        alice_in.post(reverse("followup_undo", args=[todo.pk]), {"token": answer["undo"] + "x"})  # tampered
        assert bobs.post(answer["undo_url"], {"token": answer["undo"]}).status_code == 404


def test_done_on_an_unanswered_reply_is_refused_and_the_script_falls_back_to_the_page(alice_in, alice, unchanged):
    invitation = log_invitation(alice, now=NOW, client="Maya", received_at=NOW - 30 * H)
    reply = invitation.followups.get()

    with unchanged():
        fetched = alice_in.post(reverse("followup_done", args=[reply.pk]), headers={"X-Requested-With": "fetch"})
        page = alice_in.post(reverse("followup_done", args=[reply.pk]), {"next": "/"}, follow=True).content.decode()

    assert fetched.status_code == 409
    assert "This invitation is not answered yet, so its reply is not done" in page
    assert invitation.followups.get().done_at is None
