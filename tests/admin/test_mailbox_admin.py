"""Mailboxes in the admin: edited through the settings' form (the app password write-only), the
sync state read-only, folder watermarks shown and never changed."""

import pytest
from django.urls import reverse

from invitations.models import Mailbox, MailboxFolder
from invitations.vault import seal, unseal

pytestmark = pytest.mark.django_db
CHANGE = {"host": "imap.example.org", "port": "993", "security": "implicit", "username": "alice@example.org",
          "app_password": "", "folders": "INBOX", "sent_folder": "", "first_sync_days": "14"}


@pytest.fixture
def mailbox(alice):
    box = Mailbox.objects.create(owner=alice, host="imap.example.org", username="alice@example.org",
                                 password=seal("stored-app-pass"), state=Mailbox.State.FAILING, last_error="refused")
    MailboxFolder.objects.create(owner=alice, mailbox=box, name="INBOX", uidvalidity=3, last_uid=41)
    return box


def test_an_edit_with_a_blank_password_keeps_it_and_retries(staff_alice, mailbox):
    url = reverse("admin:invitations_mailbox_change", args=[mailbox.pk])
    page = staff_alice.get(url).content.decode()
    assert "stored-app-pass" not in page and mailbox.password not in page and "Set, and never shown" in page

    assert staff_alice.post(url, CHANGE).status_code == 302
    mailbox.refresh_from_db()
    assert unseal(mailbox.password) == "stored-app-pass" and mailbox.first_sync_days == 14
    assert (mailbox.state, mailbox.last_error) == (Mailbox.State.NEW, "")
    assert MailboxFolder.objects.get(mailbox=mailbox).last_uid == 41  # the same mailbox keeps its watermark


def test_the_admin_refuses_plain_imap_to_another_machine(staff_alice, mailbox):
    url = reverse("admin:invitations_mailbox_change", args=[mailbox.pk])
    response = staff_alice.post(url, {**CHANGE, "security": "plain"})
    assert response.status_code == 200 and "Without TLS only a mailbox on this machine" in response.content.decode()
    assert Mailbox.objects.get(pk=mailbox.pk).security == Mailbox.Security.IMPLICIT


def test_folders_are_listed_and_never_changed(staff_alice, mailbox):
    folder = MailboxFolder.objects.get(mailbox=mailbox)
    listing = staff_alice.get(reverse("admin:invitations_mailboxfolder_changelist")).content.decode()
    assert "INBOX" in listing and "41" in listing
    url = reverse("admin:invitations_mailboxfolder_change", args=[folder.pk])
    staff_alice.post(url, {"name": "Other", "last_uid": "0"})
    assert MailboxFolder.objects.get(pk=folder.pk).last_uid == 41
