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
    """Store `mailbox` (new, or edited in the fields named in `changed`); `password` when one was typed."""
    if password:
        mailbox.password = seal(password)
    adding = mailbox._state.adding
    another = not adding and bool(ANOTHER_MAILBOX & set(changed))
    reset = {}
    if another or ((changed or password) and mailbox.state == Mailbox.State.FAILING):
        reset = {**FRESH, "last_synced_at": None} if another else FRESH
    for name, value in reset.items():
        setattr(mailbox, name, value)
    with transaction.atomic():
        mailbox.save(**({} if adding else {"update_fields": SETTINGS + list(reset)}))
        if another:
            MailboxFolder.objects.filter(mailbox=mailbox).delete()
    return mailbox
