"""One click from a reminder (docs/design.md, rule 16): a GET shows, only the POST acts, once;
used, expired and tampered links say so. Without logging in: the link is the credential."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from invitations.answers.one_click import LinkUsed, use
from invitations.intake.log import log_invitation
from invitations.mail import links
from invitations.models import FollowUp, FollowUpKind, Status, UnsentAnswer, UsedLink
from invitations.reminders.sweep import sweep

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
BUSY_UNTIL = dt.date(2026, 12, 4)


@pytest.fixture
def job(alice):
    return log_invitation(alice, now=NOW - dt.timedelta(days=2), client="Globex", title="Data pipeline",
                          received_at=NOW - dt.timedelta(days=2))


def link(job, action, now=NOW):
    url = links.link_url(job.owner_id, action, links.INVITATION, job.pk, now=now,
                         busy_until=BUSY_UNTIL if action == "decline" else None)
    return url.removeprefix("https://noghost.test")


def reply(job):
    return FollowUp.objects.get(invitation=job, kind=FollowUpKind.REPLY)


@pytest.mark.parametrize("action", ["snooze", "open", "decline"])
def test_a_get_changes_nothing_so_a_mail_scanner_does_no_harm(client, job, unchanged, action):
    url = link(job, action)
    with time_machine.travel(NOW, tick=False), unchanged():
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200
            assert b"Nothing changes until you press the button" in response.content
            assert b"Data pipeline" in response.content and b'method="post"' in response.content


def test_snooze_acts_once_and_a_second_post_says_used(client, job):
    url = link(job, "snooze")
    with time_machine.travel(NOW, tick=False):
        first = client.post(url)
        second = client.post(url)
        third = client.get(url)
    assert first.status_code == 200 and b"Snoozed until" in first.content
    assert reply(job).snoozed_until == NOW + dt.timedelta(days=1)
    assert second.status_code == 410 and b"used already" in second.content and b"Log in" in second.content
    assert third.status_code == 410
    assert UsedLink.objects.count() == 1


def test_decline_keeps_the_busy_answer_unsent_for_the_user_to_send(client, job):
    with time_machine.travel(NOW, tick=False):
        confirm = client.get(link(job, "decline"))
        response = client.post(link(job, "decline"))
    assert b"Friday 4 December 2026" in confirm.content
    assert response.status_code == 200 and b"Decline saved, not sent" in response.content
    unsent = UnsentAnswer.objects.get(invitation=job)
    assert (unsent.status, unsent.decline_reason, unsent.busy_until) == (Status.DECLINED, "busy", BUSY_UNTIL)
    job.refresh_from_db()
    assert job.status == Status.OPEN and reply(job).done_at is None  # saving is not sending (rule 3)
    assert unsent.message.splitlines()[0] in response.content.decode()


def test_open_leads_to_the_answer_page(client, job):
    with time_machine.travel(NOW, tick=False):
        response = client.post(link(job, "open"))
    assert response.status_code == 302 and response["Location"] == f"/invitations/{job.pk}/respond/"


def test_a_link_expires_after_seven_days(client, job, unchanged):
    url = link(job, "snooze")
    with time_machine.travel(NOW + dt.timedelta(days=6, hours=23), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=7, minutes=1), tick=False), unchanged():
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 410 and b"expired" in response.content
    assert reply(job).snoozed_until is None


@pytest.mark.parametrize("change", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
    lambda token: "x" + token[1:],  # the payload
    lambda token: token.split(":")[0],  # cut short
])
def test_a_tampered_link_is_refused(client, job, unchanged, change):
    url = link(job, "snooze")
    token = url.rstrip("/").rsplit("/", 1)[1]
    bad = url.replace(token, change(token))
    with time_machine.travel(NOW, tick=False), unchanged():
        for response in (client.get(bad), client.post(bad)):
            assert response.status_code == 400 and b"not valid" in response.content and b"Log in" in response.content


def test_a_refused_action_leaves_the_link_unused(client, job):
    """Answered meanwhile: the decline cannot act, says why, and the link stays unused."""
    job.status = Status.ACCEPTED
    job.save()
    with time_machine.travel(NOW, tick=False):
        response = client.post(link(job, "decline"))
    assert response.status_code == 409 and b"accepted already" in response.content
    assert not UsedLink.objects.exists() and not UnsentAnswer.objects.exists()


def test_the_nonce_makes_a_second_use_lose(job):
    """What two POSTs racing meet: the UsedLink INSERT decides, the loser acts on nothing."""
    token = link(job, "snooze").rstrip("/").rsplit("/", 1)[1]
    read = links.read_link(job.owner_id, token, now=NOW)
    use(read, job, owner=job.owner, now=NOW)
    with pytest.raises(LinkUsed):
        use(read, job, owner=job.owner, now=NOW + dt.timedelta(minutes=1))
    assert reply(job).snoozed_until == NOW + dt.timedelta(days=1)


def test_the_links_in_a_nudge_work(client, job):
    with time_machine.travel(NOW, tick=False):
        sweep(NOW)
        body = mail.outbox[0].body
        snooze = re.search(r"Snooze a day: https://noghost\.test(/go/\S+)", body).group(1)
        decline = re.search(r"Decline as busy until 4 December: https://noghost\.test(/go/\S+)", body).group(1)
        assert client.post(snooze).status_code == 200
        assert client.post(decline).status_code == 200
    assert reply(job).snoozed_until == NOW + dt.timedelta(days=1)
    assert UnsentAnswer.objects.get(invitation=job).busy_until == BUSY_UNTIL
    html = mail.outbox[0].alternatives[0][0]
    assert html.count("/go/") == 3
