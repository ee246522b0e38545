"""Mail that came in to be read for invitations: every message as it arrived, and each user's address."""

import secrets
import string

from django.conf import settings
from django.db import models

from invitations.models.choices import Platform
from invitations.models.invitations import Invitation

TOKEN_ALPHABET = string.ascii_lowercase + string.digits


def new_token():
    """24 lowercase letters and digits (124 bits): a mail address's local part that no one guesses,
    and that survives mail systems which lower-case addresses."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(24))


class InboundAddress(models.Model):
    """The secret part of a user's forwarding address, `<token>@INBOUND_DOMAIN`; replacing it
    makes the old address refuse mail at once."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbound_address")
    token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.token}@{settings.INBOUND_DOMAIN}"


class InboundMessageQuerySet(models.QuerySet):
    def waiting(self):
        """What the review inbox lists: for a look, failed, or read by nobody yet."""
        return self.filter(state__in=InboundMessage.WAITING)


class InboundMessage(models.Model):
    """One e-mail as it arrived, stored before anything reads it (so nothing received is lost),
    then what reading it found and did. `message_id` is unique per owner: the same message twice
    is one row, whoever delivers it."""

    class State(models.TextChoices):
        RECEIVED = "received", "Not read yet"
        LOGGED = "logged", "Logged"
        REVIEW = "review", "Needs review"
        NOT_INVITATION = "not_invitation", "Not an invitation"
        DUPLICATE = "duplicate", "Duplicate"
        FAILED = "failed", "Failed"

    WAITING = [State.RECEIVED, State.REVIEW, State.FAILED]

    objects = InboundMessageQuerySet.as_manager()

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbound_messages")
    message_id = models.CharField(max_length=255, help_text="The Message-ID header, or a digest of the raw bytes.")
    sender = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="The Date header, in UTC.")
    size = models.PositiveIntegerField()
    raw = models.BinaryField()
    received_at = models.DateTimeField()
    via = models.CharField(max_length=10, help_text="smtp, pipe or upload.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    reason = models.CharField(max_length=500, blank=True)
    recogniser = models.CharField(max_length=30, blank=True)
    confidence = models.FloatField(null=True, blank=True, help_text="0 to 1: how much of an invitation it found.")
    found = models.JSONField(default=dict, blank=True, help_text="The fields reading it found.")
    preview = models.TextField(blank=True)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "message_id"], name="inbound_once_per_owner"),
        ]
        indexes = [
            # The inbox and the dashboard's count: one user's messages in some states, newest first.
            # Not partial: SQLite cannot prove a partial index's condition from bound IN parameters.
            models.Index(fields=["owner", "state", "received_at"], name="inbound_owner_state"),
        ]

    def __str__(self):
        return self.subject or f"Message {self.pk}"

    @property
    def platform_label(self):
        """The found platform as people name it ("Freelancer.com"), or ""."""
        value = (self.found or {}).get("platform", "")
        return Platform(value).label if value in Platform.values else value
