"""The vocabulary of noghost: who invited whom, what is owed, and what was sent.

Every row a user owns carries `owner`; every query that serves a user filters on it.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone


class Platform(models.TextChoices):
    UPWORK = "upwork", "Upwork"
    FIVERR = "fiverr", "Fiverr"
    TOPTAL = "toptal", "Toptal"
    LINKEDIN = "linkedin", "LinkedIn"
    FREELANCER = "freelancer", "Freelancer.com"
    DIRECT = "direct", "Direct client"
    RECRUITER = "recruiter", "Recruiter"
    REFERRAL = "referral", "Referral"
    OTHER = "other", "Other"


PLATFORM_ERRORS = {
    "invalid_choice": "%(value)r is not a platform noghost knows; use one of: " + ", ".join(Platform.values) + "."
}


class Status(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone call"
    PLATFORM = "platform", "Platform message"
    IN_PERSON = "in_person", "In person"


class DeclineReason(models.TextChoices):
    BUSY = "busy", "Busy: fully booked for now"
    ACCEPTED_OTHER = "accepted_other", "Accepted another offer"
    NOT_A_FIT = "not_a_fit", "Not a fit for my skills"
    NOT_INTERESTED = "not_interested", "Not interested in the work"
    RATE = "rate", "Rate or budget too low"
    LOCATION = "location", "Location or relocation"
    REMOTE = "remote", "I only work remotely"
    CULTURE = "culture", "Culture or values"
    FREE_WORK = "free_work", "Client asked for free work"
    OFF_PLATFORM = "off_platform", "Client asked to work off the platform"
    SPAM = "spam", "Spam or scam"
    OTHER = "other", "Other"


class FollowUpKind(models.TextChoices):
    REPLY = "reply", "Reply to the invitation"
    RECONNECT = "reconnect", "Reconnect after the busy period"
    NOTIFY_REFERRER = "notify_referrer", "Tell the referrer what happened"
    CONFIRM_IN_WRITING = "confirm_in_writing", "Confirm the call in writing"
    CUSTOM = "custom", "Other"


def validate_timezone(name):
    if name not in zoneinfo.available_timezones():
        raise ValidationError("%(name)s is not a known IANA time zone, such as Europe/Berlin.", params={"name": name})


class Profile(models.Model):
    """One per user, created with the user: where and when they want to hear from noghost."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    digest_hour = models.PositiveSmallIntegerField(
        default=8, validators=[MaxValueValidator(23)], help_text="Local hour (0 to 23) the daily digest goes out."
    )
    reply_window_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text="How long after an invitation arrives its answer is due.",
    )
    digest_enabled = models.BooleanField(default=True)
    nudges_enabled = models.BooleanField(default=True)
    signature = models.CharField(max_length=200, blank=True, help_text="Name used to sign drafted messages.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="profile_digest_hour_0_23"),
            models.CheckConstraint(condition=Q(reply_window_hours__gte=1), name="profile_reply_window_positive"),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone)


class Client(models.Model):
    """A person or company that invites, or a contact who refers."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=200)
    company = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True, error_messages=PLATFORM_ERRORS)
    profile_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True, max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # Logging "ACME" after "Acme" reuses the client; the database refuses a twin.
            models.UniqueConstraint(Lower("name"), "owner", name="client_name_unique_per_owner_ci"),
        ]

    def __str__(self):
        return f"{self.name} ({self.company})" if self.company else self.name


class Invitation(models.Model):
    """An invitation to interview, from receipt to answer."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invitations")
    title = models.CharField(max_length=200, blank=True)
    platform = models.CharField(
        max_length=20, choices=Platform.choices, default=Platform.DIRECT, error_messages=PLATFORM_ERRORS
    )
    url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True, max_length=10_000)
    received_at = models.DateTimeField()
    reply_by = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    flagged_at = models.DateTimeField(null=True, blank=True, help_text="Set once by the sweep when reply_by passed unanswered.")
    responded_at = models.DateTimeField(null=True, blank=True)
    response_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    busy_until = models.DateField(null=True, blank=True, help_text="Last day of the busy period, in your own zone.")
    response_message = models.TextField(blank=True, max_length=10_000)
    referred_by = models.ForeignKey(
        Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    interview_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(condition=Q(reply_by__gte=F("received_at")), name="invitation_reply_by_after_received"),
        ]
        indexes = [
            # The sweep: open, not yet flagged, reply_by <= now, by owner (its batches are owner
            # ranges). Partial, so it stays as small as the set of invitations still waiting for
            # an answer; owner first, so SQLite picks it even where ANALYZE never ran (with
            # reply_by first it preferred walking inv_owner_received: 300 ms at 1,000,000 rows).
            models.Index(
                fields=["owner", "reply_by"], condition=Q(status="open", flagged_at__isnull=True), name="inv_sweep_due"
            ),
            # Dashboards and digests: one user's invitations by status, newest first.
            models.Index(fields=["owner", "status", "reply_by"], name="inv_owner_status_reply_by"),
            models.Index(fields=["owner", "received_at"], name="inv_owner_received"),
        ]

    def __str__(self):
        return f"{self.title or 'Invitation'} from {self.client.name}"

    @property
    def is_answered(self):
        return self.status != Status.OPEN


class AnswerEvent(models.Model):
    """One answer as it was given, or the client's withdrawal: kept when a later answer replaces it.

    The invitation holds only the current answer (and `responded_at`, the first one's time); the
    client page tells every answer in order from these rows.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    message = models.TextField(blank=True, max_length=10_000)

    class Meta:
        ordering = ["at", "pk"]  # the client page reads them by invitation (the foreign key's index)

    def __str__(self):
        return f"{self.get_status_display()} at {self.at:%Y-%m-%d %H:%M}"


class FollowUp(models.Model):
    """Something the user owes someone: a reply, a reconnect, a word to a referrer."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(max_length=20, choices=FollowUpKind.choices)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, null=True, blank=True, related_name="followups")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    done_note = models.TextField(blank=True, max_length=10_000)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=10_000)
    # When it was opened, in the time the domain was given (open_followup's `now`), so that a
    # contact closes only the reconnects promised before it (reconnects.contact_made).
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            # Answering twice, or two workers racing, can never open a second one.
            models.UniqueConstraint(
                fields=["invitation", "kind"], condition=Q(done_at__isnull=True), name="followup_one_open_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(invitation__isnull=False) | Q(client__isnull=False), name="followup_has_subject"
            ),
        ]
        indexes = [
            # "Open follow-ups due before X", per user (dashboard, digest).
            models.Index(fields=["owner", "due_at"], condition=Q(done_at__isnull=True), name="fu_open_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} (due {self.due_at:%Y-%m-%d %H:%M})"


class OutboundEmail(models.Model):
    """The mail outbox: every e-mail noghost sends is a row first, sent second.

    queued -> sending -> sent, or failed (retried by later runs; see MAX_ATTEMPTS).
    A row left in `sending` by a crash, or failed for good, is shown to the user and never sent
    again on its own. `attempts` counts this message's own sends: the one in flight while
    `sending`, the one that delivered it, and each that failed through its own fault; a send the
    server failed (down, unreachable, misconfigured: outbox.server_trouble()) is not counted.
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

    class Kind(models.TextChoices):
        NUDGE = "nudge", "Overdue nudge"
        DIGEST = "digest", "Daily digest"
        TEST_DIGEST = "test_digest", "Test digest"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, help_text="Which delivery run claimed it.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sender: rows still to send (state IN (queued, failed)), oldest first. Not a partial
            # index: SQLite cannot prove a partial index's condition from bound IN parameters.
            models.Index(fields=["state", "created_at"], name="email_state_created"),
            models.Index(fields=["owner", "kind", "created_at"], name="email_owner_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to}: {self.subject}"

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
