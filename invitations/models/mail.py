"""What noghost sends and when its jobs ran: the outbox, the daily digest claims, heartbeats."""

from django.conf import settings
from django.core.mail import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import models

from invitations.vault import SealedField


def new_message_id():
    """The Message-ID a row keeps for every attempt, so a copy sent twice can be recognised."""
    return make_msgid(domain=str(DNS_NAME))


class OutboundEmail(models.Model):
    """The mail outbox: every e-mail noghost sends is a row first, sent second.

    queued -> sending -> sent, or failed (retried by later runs with back-off; see MAX_ATTEMPTS),
    or unsure: the message was handed to the server and the run never heard whether it took it
    (the connection dropped after the data, or the run died). `sending` means handed to the
    server; a run that has only claimed a row holds it by `claim_token` and `claimed_at`.
    Unsure and given-up rows are shown to the user and never sent again on their own
    (docs/design.md, rule 6). `attempts` counts this message's own sends: the one in flight
    while `sending`, the one that delivered it, and each that failed through its own fault; a
    send the server failed (down, a 4xx reply: mail.sending.server_trouble()) is not counted.
    """

    # After this many counted sends (see `attempts`), a row stays `failed` and no run picks it
    # again: an address the server refuses is not retried (nor holds up the mail queued behind
    # it) for ever. A server outage counts nothing, so it gives no mail up however long it lasts.
    MAX_ATTEMPTS = 5

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNSURE = "unsure", "May have been sent"

    class Kind(models.TextChoices):
        NUDGE = "nudge", "Overdue nudge"
        DIGEST = "digest", "Daily digest"
        TEST_DIGEST = "test_digest", "Test digest"
        TEST_NOTICE = "test_notice", "Test notification"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    to = models.EmailField(blank=True, help_text="The address; empty for a notification target's row.")
    # A row with a target goes to it through apprise instead of SMTP (mail/notify.py), with the
    # same claims, back-off and doubt as e-mail; removing the target drops its unsent rows.
    target = models.ForeignKey("NotificationTarget", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="messages")
    # The e-mail a target's row goes out beside (the nudge or digest it summarises): a run that
    # sends or retries that e-mail by id sends these too (outbox.claim_batch).
    beside = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="notices")
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, help_text="Which delivery run holds it, if any.")
    retry_at = models.DateTimeField(null=True, blank=True, help_text="A failed send is not retried before this.")
    message_id = models.CharField(max_length=255, default=new_message_id, help_text="The same on every attempt.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sender: rows still to send (state IN (queued, failed)), oldest first. Not a partial
            # index: SQLite cannot prove a partial index's condition from bound IN parameters.
            models.Index(fields=["state", "created_at"], name="email_state_created"),
            # ... and on PostgreSQL (which reads the literal IN list) the same rows alone, oldest first:
            # after a burst the claim does not walk the sent rows, nor their dead versions once vacuumed.
            models.Index(fields=["created_at", "id"], name="email_sendable",
                         condition=models.Q(state__in=["queued", "failed", "sending"])),
            models.Index(fields=["owner", "kind", "created_at"], name="email_owner_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to or self.target}: {self.subject}"

    @property
    def given_up(self):
        """Failed through its own fault MAX_ATTEMPTS times: no run sends it again."""
        return self.state == self.State.FAILED and self.attempts >= self.MAX_ATTEMPTS


class Digest(models.Model):
    """One per user per local date: the claim that makes the day's digest go out once."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    local_date = models.DateField()
    claimed_at = models.DateTimeField()
    email = models.OneToOneField(OutboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="digest")
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "local_date"], name="digest_once_per_owner_day"),
        ]

    def __str__(self):
        return f"Digest for {self.owner} on {self.local_date}"


class Heartbeat(models.Model):
    """When each scheduled job last ran, so a stopped worker is noticed, not guessed at."""

    job = models.CharField(max_length=50, primary_key=True)
    last_run_at = models.DateTimeField()
    last_summary = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"{self.job} at {self.last_run_at:%Y-%m-%d %H:%M}"


class NotificationTarget(models.Model):
    """Somewhere besides e-mail that nudges and digest summaries go: an Apprise URL (Telegram,
    ntfy, Slack ...). The URL carries its secret (a bot token), so it is kept sealed
    (invitations/vault.py) and only the sender unseals it; pages show `label` and `service`."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_targets")
    label = models.CharField(max_length=60)
    service = models.CharField(max_length=60, help_text="What the URL names (its service), shown instead of it.")
    url_sealed = SealedField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        # The queueing reads a batch's targets by owner (outbox.queue_notices).
        indexes = [models.Index(fields=["owner", "created_at"], name="target_owner")]

    def __str__(self):
        return f"{self.label} ({self.service})"


class UsedLink(models.Model):
    """A one-click link from a reminder that was used: its nonce is unique, so of two POSTs of
    the same link (a double click, two devices) exactly one INSERT wins and acts (mail/links.py)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="used_links")
    nonce = models.CharField(max_length=32, unique=True)  # unique: the single-use claim
    action = models.CharField(max_length=20)
    used_at = models.DateTimeField()

    def __str__(self):
        return f"{self.action} link used {self.used_at:%Y-%m-%d %H:%M}"
