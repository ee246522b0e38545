"""The mailbox sync against a real Dovecot (docs/design.md, rule 11): no mock IMAP."""

import datetime as dt
from pathlib import Path

import pytest

from invitations.mailboxes import sync as syncing
from invitations.mailboxes.sync import claim, sync, sync_due
from invitations.models import InboundMessage, Invitation, Mailbox, MailboxFolder
from tests.mailboxes.conftest import mail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.imap]
UPWORK = (Path(__file__).parents[1] / "intake" / "corpus" / "upwork-invite-multipart.eml").read_bytes()


def now():
    return dt.datetime.now(dt.timezone.utc)


def test_a_message_appended_is_captured_and_syncing_twice_doubles_nothing(alice, dovecot, mailbox_for):
    mailbox = mailbox_for(alice)
    validity, uid = dovecot.append(dovecot.user, UPWORK)
    dovecot.append(dovecot.user, mail(1))

    assert sync(mailbox, now=now())
    assert sync(mailbox, now=now())

    assert InboundMessage.objects.filter(owner=alice, via="imap").count() == 2
    assert Invitation.objects.filter(owner=alice).count() == 1
    folder = MailboxFolder.objects.get(mailbox=mailbox, name="INBOX")
    assert (folder.uidvalidity, folder.last_uid) == (validity, uid + 1)
    mailbox.refresh_from_db()
    assert mailbox.state == Mailbox.State.OK and (mailbox.progress_done, mailbox.progress_total) == (0, 0)


def test_dovecot_stopped_mid_fetch_leaves_the_watermark_and_the_next_sync_finishes(
        alice, dovecot, mailbox_for, monkeypatch):
    mailbox = mailbox_for(alice)
    for number in range(7):
        dovecot.append(dovecot.user, mail(number))
    monkeypatch.setattr(syncing, "BATCH", 3)
    real_capture, taken = syncing.capture, []

    def capture_then_drop(raw, **kwargs):
        taken.append(real_capture(raw, **kwargs))
        if len(taken) == 3:
            dovecot.stop()  # the server goes away before the second batch is fetched
        return taken[-1]

    monkeypatch.setattr(syncing, "capture", capture_then_drop)
    sync(mailbox, now=now())

    mailbox.refresh_from_db()
    assert mailbox.state == Mailbox.State.FAILING and "dropped" in mailbox.last_error
    assert MailboxFolder.objects.get(mailbox=mailbox, name="INBOX").last_uid == 3  # the stored batch only
    dovecot.start()
    Mailbox.objects.filter(pk=mailbox.pk).update(retry_after=None)
    assert sync_due(now=now()).captured == 4
    assert InboundMessage.objects.filter(owner=alice).count() == 7
    assert MailboxFolder.objects.get(mailbox=mailbox, name="INBOX").last_uid == 7


def test_a_new_uidvalidity_rereads_by_message_id_without_duplicates(alice, dovecot, mailbox_for):
    mailbox = mailbox_for(alice)
    dovecot.append(dovecot.user, mail(1))
    dovecot.append(dovecot.user, mail(2))
    sync(mailbox, now=now())
    before = MailboxFolder.objects.get(mailbox=mailbox, name="INBOX").uidvalidity

    dovecot.reset_uidvalidity(dovecot.user)
    validity, uid = dovecot.append(dovecot.user, mail(3))
    summary = sync_due(now=now())

    assert validity != before and summary.captured == 1
    assert sorted(InboundMessage.objects.filter(owner=alice).values_list("message_id", flat=True)) == [
        "m1@example.org", "m2@example.org", "m3@example.org"]
    folder = MailboxFolder.objects.get(mailbox=mailbox, name="INBOX")
    assert (folder.uidvalidity, folder.last_uid) == (validity, uid)


def test_a_refused_login_is_shown_and_backs_off_while_other_users_sync(alice, bob, dovecot, mailbox_for):
    failing = mailbox_for(alice, password="wrong")
    bobs_user = dovecot.add_user(dovecot.user + "b")
    mailbox_for(bob, user=bobs_user)
    dovecot.append(bobs_user, mail(1, to="bob@example.com"))
    moment = now()

    summary = sync_due(now=moment)

    failing.refresh_from_db()
    assert (summary.failed, summary.captured) == (1, 1)
    assert failing.state == Mailbox.State.FAILING and failing.failing_since == moment
    assert failing.last_error == f"127.0.0.1:{dovecot.port} refused the user name or app password."
    assert failing.retry_after == moment + dt.timedelta(minutes=5)
    assert sync_due(now=moment + dt.timedelta(minutes=1)).mailboxes == 1  # alice's waits out her back-off
    sync_due(now=moment + dt.timedelta(minutes=6))
    failing.refresh_from_db()
    assert failing.failures == 2 and failing.failing_since == moment
    assert failing.retry_after == moment + dt.timedelta(minutes=16)


def test_a_mailbox_another_worker_holds_is_left_to_it_until_its_lease_runs_out(alice, dovecot, mailbox_for):
    mailbox = mailbox_for(alice)
    dovecot.append(dovecot.user, mail(1))
    moment = now()
    assert claim(mailbox, now=moment) is not None

    assert sync(mailbox, now=moment) is False
    assert claim(mailbox, now=moment) is None
    assert not InboundMessage.objects.exists()
    assert sync(mailbox, now=moment + syncing.LEASE + dt.timedelta(seconds=1))  # that worker died
    assert InboundMessage.objects.filter(owner=alice).count() == 1


def test_a_message_over_the_size_limit_is_skipped_with_its_reason(alice, dovecot, mailbox_for, settings):
    settings.INBOUND_MAX_BYTES = 4096
    mailbox = mailbox_for(alice)
    dovecot.append(dovecot.user, mail(1, body="x" * 10_000))
    dovecot.append(dovecot.user, mail(2))

    assert sync_due(now=now()).skipped == 1

    folder = MailboxFolder.objects.get(mailbox=mailbox, name="INBOX")
    assert folder.last_uid == 2 and folder.skipped == [
        {"folder": "INBOX", "uid": 1, "reason": "10 KB, over the 4 KB noghost reads"}]
    assert list(InboundMessage.objects.values_list("message_id", flat=True)) == ["m2@example.org"]


def test_the_first_sync_reads_only_the_last_30_days(alice, dovecot, mailbox_for):
    mailbox = mailbox_for(alice)
    connection = dovecot.imap(dovecot.user)
    old = now() - dt.timedelta(days=40)
    connection.append("INBOX", None, old, mail(1, date=old))
    connection.logout()
    dovecot.append(dovecot.user, mail(2))

    sync(mailbox, now=now())

    assert list(InboundMessage.objects.values_list("message_id", flat=True)) == ["m2@example.org"]
