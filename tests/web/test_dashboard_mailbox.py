"""The dashboard's mailbox notices: a mailbox noghost cannot read, shown to its owner since when and
why, and each reply noticed in their mail asked about, the answer recorded through respond()."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.intake.log import log_invitation
from invitations.models import AnswerEvent, Invitation, Mailbox, NoticedReply, Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
SENT = NOW - dt.timedelta(hours=3)


@pytest.fixture
def noticed(alice):
    invitation = log_invitation(alice, now=NOW - dt.timedelta(days=1), client="Harbour Analytics",
                                title="Dashboard rebuild", received_at=NOW - dt.timedelta(days=1))
    return NoticedReply.objects.create(owner=alice, invitation=invitation, sent_at=SENT,
                                       message="Thanks Sam, <b>let me think</b> about the dates.")


def dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_failing_mailbox_is_shown_to_its_owner_with_a_way_to_fix_it(alice_client, alice):
    Mailbox.objects.create(owner=alice, host="imap.example.org", username="alice", state=Mailbox.State.FAILING,
                           failing_since=NOW - dt.timedelta(days=2),
                           last_error="imap.example.org:993 refused the user name or app password.")
    page = dashboard(alice_client)
    assert "noghost cannot read your mailbox since Wed 18 Nov, 10:00:</strong> imap.example.org:993 refused" in page
    assert f'href="{reverse("mailbox_settings")}"' in page


@time_machine.travel(NOW, tick=False)
def test_a_mailbox_that_reads_shows_no_warning(alice_client, alice):
    Mailbox.objects.create(owner=alice, host="imap.example.org", username="alice", state=Mailbox.State.OK)
    assert "cannot read your mailbox" not in dashboard(alice_client)


@time_machine.travel(NOW, tick=False)
def test_a_noticed_reply_asks_accepted_or_declined_and_renders_no_html(alice_client, noticed):
    page = dashboard(alice_client)
    assert "You replied to" in page and "Harbour Analytics" in page and "Dashboard rebuild</a>: accepted or declined?" in page
    assert f'action="{reverse("noticed_reply_answer", args=[noticed.pk])}"' in page
    assert 'value="accepted"' in page and 'value="declined"' in page
    assert "&lt;b&gt;let me think&lt;/b&gt;" in page and "<b>let me think" not in page


@pytest.mark.parametrize("answer, status", [("accepted", Status.ACCEPTED), ("declined", Status.DECLINED)])
@time_machine.travel(NOW, tick=False)
def test_the_answer_is_recorded_as_the_reply_sent_and_the_question_goes(alice_client, noticed, answer, status):
    response = alice_client.post(reverse("noticed_reply_answer", args=[noticed.pk]), {"answer": answer}, follow=True)

    invitation = Invitation.objects.get(pk=noticed.invitation_id)
    assert (invitation.status, invitation.responded_at, invitation.response_channel) == (status, SENT, "email")
    assert invitation.response_message == noticed.message
    assert AnswerEvent.objects.filter(invitation=invitation, status=status, at=SENT).count() == 1
    assert not NoticedReply.objects.exists()
    page = response.content.decode()
    assert f"Recorded: you {answer} “Dashboard rebuild” by e-mail." in page and "accepted or declined?" not in page


@time_machine.travel(NOW, tick=False)
def test_a_bad_answer_changes_nothing(alice_client, noticed):
    url = reverse("noticed_reply_answer", args=[noticed.pk])
    assert alice_client.get(url).status_code == 405
    response = alice_client.post(url, {"answer": "maybe"}, follow=True)

    assert "is not an answer here" in response.content.decode()
    assert Invitation.objects.get(pk=noticed.invitation_id).status == Status.OPEN
    assert NoticedReply.objects.filter(pk=noticed.pk).exists()


@time_machine.travel(NOW, tick=False)
def test_an_invitation_answered_meanwhile_only_drops_the_question(alice_client, noticed):
    respond(noticed.invitation, now=NOW, action="withdrawn")
    response = alice_client.post(reverse("noticed_reply_answer", args=[noticed.pk]), {"answer": "accepted"}, follow=True)

    assert "answered or withdrawn meanwhile; nothing more was recorded" in response.content.decode()
    assert Invitation.objects.get(pk=noticed.invitation_id).status == Status.WITHDRAWN
    assert not NoticedReply.objects.exists()
    assert alice_client.post(reverse("noticed_reply_answer", args=[noticed.pk]), {"answer": "accepted"}).status_code == 404
