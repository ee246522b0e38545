"""Mailboxes noghost reads over IMAP (docs/design.md, rule 11), and where each folder's sync stands."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from invitations.vault import SealedField

LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class Mailbox(models.Model):
    """One user's IMAP mailbox: where it is, how to sign in (the app password sealed), what to watch,
    and how its last sync went. `claim_token`/`claimed_at` are the lease one sync holds (rule 11)."""

    class Security(models.TextChoices):
        IMPLICIT = "implicit", "TLS (port 993)"
        STARTTLS = "starttls", "STARTTLS (port 143)"
        PLAIN = "plain", "None (loopback only)"

    class State(models.TextChoices):
        NEW = "new", "Not synced yet"
        OK = "ok", "Syncing"
        FAILING = "failing", "Cannot read it"

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailbox")
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.IMPLICIT)
    username = models.CharField(max_length=254)
    password = SealedField(blank=True, help_text="The app password, sealed (invitations/vault.py).")
    folders = models.CharField(max_length=500, default="INBOX", help_text="Folders to watch, comma-separated.")
    sent_folder = models.CharField(max_length=200, blank=True, help_text="Blank: the folder marked \\Sent.")
    first_sync_days = models.PositiveSmallIntegerField(default=30)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    last_error = models.CharField(max_length=500, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    retry_after = models.DateTimeField(null=True, blank=True, help_text="Backing off until then.")
    last_synced_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.username} on {self.host}"

    def clean(self):
        if self.security == self.Security.PLAIN and self.host.lower() not in LOOPBACK:
            raise ValidationError({"security": "Without TLS only a mailbox on this machine (127.0.0.1) may be read."})

    @property
    def watched(self):
        return folder_names(self.folders)


def folder_names(text):
    """The folder names in a comma-separated list, blanks dropped (the form and the sync read it alike)."""
    return [name.strip() for name in text.split(",") if name.strip()]


class MailboxFolder(models.Model):
    """Where one folder's sync stands: the UIDVALIDITY it was read under and the last UID stored
    (the watermark, moved only after the messages up to it are stored), and what was skipped."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailbox_folders")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="folder_states")
    name = models.CharField(max_length=200)
    sent = models.BooleanField(default=False, help_text="The Sent folder: read for the user's replies.")
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True, help_text="Messages not read, with why (the latest 50).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailbox", "name"], name="mailbox_folder_once")]

    def __str__(self):
        return self.name


class NoticedReply(models.Model):
    """A reply the user sent from their own mail that noghost could not read as an acceptance or a
    decline (rule 12): the invitation counts as answered for nudges, and the dashboard asks which."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="noticed_replies")
    invitation = models.OneToOneField("invitations.Invitation", on_delete=models.CASCADE, related_name="noticed_reply")
    sent_at = models.DateTimeField()
    message = models.TextField(blank=True, max_length=10_000)

    def __str__(self):
        return f"Reply sent {self.sent_at:%Y-%m-%d %H:%M}, not read as an answer"
