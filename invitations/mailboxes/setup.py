"""Saving a user's mailbox settings (the settings page and the admin share this).

The app password is sealed as it is stored, and kept when none is typed. Saving writes only the
settings and the failure fields, never the claim or the progress, so a sync running meanwhile
keeps its lease. A change retries a failing mailbox at once (the user just fixed something), and
a different server or user starts every folder over: another mailbox's UIDs mean nothing here.
"""

from django.db import transaction

from invitations.models import Mailbox, MailboxFolder
from invitations.vault import seal

SETTINGS = ["host", "port", "security", "username", "password", "folders", "sent_folder", "first_sync_days"]
ANOTHER_MAILBOX = {"host", "port", "username"}
FRESH = {"state": Mailbox.State.NEW, "last_error": "", "failing_since": None, "failures": 0, "retry_after": None}


def save_settings(mailbox, *, password, changed):
    """Store `mailbox` (new, or edited: `changed` names the fields the user changed); `password` when one was typed."""
    if password:
        mailbox.password = seal(password)
    adding = mailbox._state.adding
    before = {} if adding else Mailbox.objects.filter(pk=mailbox.pk).values(*ANOTHER_MAILBOX).first() or {}
    another = any(before.get(name, value) != value for name, value in vars(mailbox).items() if name in ANOTHER_MAILBOX)
    reset = fresh_state(mailbox, another=another, edited=bool(changed or password))
    for name, value in reset.items():
        setattr(mailbox, name, value)
    with transaction.atomic():
        mailbox.save(**({} if adding else {"update_fields": SETTINGS + list(reset)}))
        if another:
            MailboxFolder.objects.filter(mailbox=mailbox).delete()
    return mailbox


def fresh_state(mailbox, *, another, edited):
    """The sync fields to clear: all, never synced, for another mailbox; the failure after an edit."""
    if another:
        return {**FRESH, "last_synced_at": None}
    return FRESH if edited and mailbox.state == Mailbox.State.FAILING else {}
