"""`/settings/mailbox/`: the settings saved (the app password sealed, write-only), refused with the
field named and nothing written, the sync's state and progress shown, and the mailbox removed."""

import datetime as dt

import pytest
from django.urls import reverse

from invitations.intake.capture import capture
from invitations.models import InboundMessage, Mailbox, MailboxFolder
from invitations.vault import seal, unseal

pytestmark = pytest.mark.django_db
URL = "/settings/mailbox/"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
SETTINGS = {"host": "IMAP.Example.org", "port": "993", "security": "implicit", "username": "alice@example.org",
            "app_password": "abcd efgh ijkl", "folders": "INBOX, Jobs", "sent_folder": "", "first_sync_days": "30"}


def stored(owner, **fields):
    return Mailbox.objects.create(owner=owner, host="imap.example.org", username="alice@example.org",
                                  password=seal("old-app-pass"), **fields)


def test_the_settings_page_links_to_the_mailbox_page(alice_client):
    page = alice_client.get(reverse("settings")).content.decode()
    assert f'href="{URL}"' in page and reverse("mailbox_settings") == URL


def test_a_new_mailbox_is_saved_with_its_password_sealed(alice_client, alice):
    response = alice_client.post(URL, SETTINGS)

    assert response.status_code == 302
    mailbox = Mailbox.objects.get(owner=alice)
    assert (mailbox.host, mailbox.port, mailbox.security, mailbox.watched) == (
        "imap.example.org", 993, "implicit", ["INBOX", "Jobs"])
    assert "abcd" not in mailbox.password and unseal(mailbox.password) == "abcd efgh ijkl"
    page = alice_client.get(URL).content.decode()
    assert "abcd efgh ijkl" not in page and mailbox.password not in page
    assert "alice@example.org" in page and "Not synced yet" in page.replace("not synced yet", "Not synced yet")


def test_an_empty_page_offers_the_defaults(alice_client):
    form = alice_client.get(URL).context["form"]
    assert (form["folders"].value(), form["first_sync_days"].value(), form["port"].value()) == ("INBOX", 30, 993)


def test_a_blank_password_on_an_edit_keeps_the_stored_one(alice_client, alice):
    mailbox = stored(alice)
    response = alice_client.post(URL, {**SETTINGS, "app_password": "", "first_sync_days": "7"})

    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert unseal(mailbox.password) == "old-app-pass" and mailbox.first_sync_days == 7
    alice_client.post(URL, {**SETTINGS, "app_password": "new-app-pass"})
    mailbox.refresh_from_db()
    assert unseal(mailbox.password) == "new-app-pass"


@pytest.mark.parametrize("change, field, words", [
    ({"security": "plain"}, "security", "Without TLS only a mailbox on this machine"),
    ({"app_password": ""}, "app_password", "Give the app password"),
    ({"port": "70000"}, "port", "from 1 to 65535"),
    ({"host": "imaps://imap.example.org:993"}, "host", "the server's name only"),
    ({"folders": " , "}, "folders", "at least one folder"),
    ({"first_sync_days": "0"}, "first_sync_days", "between 1 and 3650"),
    ({"username": "ali\x1bce"}, "username", ""),
])
def test_bad_settings_name_the_field_and_save_nothing(alice_client, alice, change, field, words):
    response = alice_client.post(URL, {**SETTINGS, **change})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert not Mailbox.objects.filter(owner=alice).exists()


def test_plain_imap_is_allowed_on_loopback(alice_client, alice):
    assert alice_client.post(URL, {**SETTINGS, "host": "127.0.0.1", "port": "143", "security": "plain"}).status_code == 302
    assert Mailbox.objects.get(owner=alice).security == Mailbox.Security.PLAIN


def test_a_first_sync_shows_its_progress(alice_client, alice):
    stored(alice, state=Mailbox.State.OK, progress_done=1200, progress_total=3400)
    page = alice_client.get(URL).content.decode()
    assert "read 1,200 of 3,400 messages" in page and 'value="35"' in page


def test_a_finished_sync_shows_no_progress_but_when_it_ran(alice_client, alice):
    stored(alice, state=Mailbox.State.OK, progress_done=40, progress_total=40, last_synced_at=NOW)
    page = alice_client.get(URL).content.decode()
    assert "<progress" not in page and "Your mailbox: syncing" in page and "last synced Fri 20 Nov" in page


def test_a_failing_mailbox_says_since_when_and_why(alice_client, alice):
    mailbox = stored(alice, state=Mailbox.State.FAILING, failing_since=NOW, failures=3,
                     retry_after=NOW + dt.timedelta(minutes=20), last_error="imap.example.org:993 refused the user name or app password.")
    MailboxFolder.objects.create(owner=alice, mailbox=mailbox, name="INBOX", last_uid=9,
                                 skipped=[{"folder": "INBOX", "uid": 4, "reason": "too big"}])
    page = alice_client.get(URL).content.decode()
    assert "noghost cannot read it since Fri 20 Nov" in page
    assert "refused the user name or app password." in page and "Tried 3 times" in page
    assert "1 skipped" in page


def test_saving_a_change_retries_a_failing_mailbox_at_once(alice_client, alice):
    mailbox = stored(alice, state=Mailbox.State.FAILING, failing_since=NOW, failures=3, last_error="refused",
                     retry_after=NOW + dt.timedelta(hours=6), last_synced_at=NOW)
    alice_client.post(URL, {**SETTINGS, "app_password": "fixed-app-pass"})
    mailbox.refresh_from_db()
    assert (mailbox.state, mailbox.last_error, mailbox.failures, mailbox.retry_after, mailbox.failing_since) == (
        Mailbox.State.NEW, "", 0, None, None)
    assert mailbox.last_synced_at == NOW  # the same mailbox: it was read before


def test_another_server_or_user_starts_every_folder_over(alice_client, alice):
    mailbox = stored(alice, state=Mailbox.State.OK, last_synced_at=NOW, claim_token="held", progress_total=9)
    MailboxFolder.objects.create(owner=alice, mailbox=mailbox, name="INBOX", uidvalidity=5, last_uid=900)

    alice_client.post(URL, {**SETTINGS, "app_password": "", "folders": "INBOX"})
    assert MailboxFolder.objects.filter(mailbox=mailbox).count() == 1  # the same mailbox keeps its watermark
    alice_client.post(URL, {**SETTINGS, "app_password": "", "username": "work@example.org"})

    mailbox.refresh_from_db()
    assert not MailboxFolder.objects.filter(mailbox=mailbox).exists()
    assert (mailbox.state, mailbox.last_synced_at) == (Mailbox.State.NEW, None)
    assert (mailbox.claim_token, mailbox.progress_total) == ("held", 9)  # a running sync keeps its lease


def test_remove_forgets_the_mailbox_and_keeps_the_mail_captured(alice_client, alice):
    mailbox = stored(alice)
    MailboxFolder.objects.create(owner=alice, mailbox=mailbox, name="INBOX")
    capture(b"From: Sam <sam@example.org>\nSubject: Hello\nMessage-ID: <kept@example.org>\n\nHi\n",
            owner=alice, now=NOW, via="imap")

    assert alice_client.get(reverse("mailbox_remove")).status_code == 405
    response = alice_client.post(reverse("mailbox_remove"), follow=True)

    assert "noghost no longer reads it" in response.content.decode()
    assert not Mailbox.objects.filter(owner=alice).exists() and not MailboxFolder.objects.exists()
    assert InboundMessage.objects.filter(owner=alice, message_id="kept@example.org").exists()
    assert "Remove mailbox" not in response.content.decode()
