"""An invitation from receipt to answer, and every answer it was given."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from invitations.models.choices import PLATFORM_ERRORS, Channel, DeclineReason, Platform, Status
from invitations.models.people import Client
from invitations.models.search import Searchable

# Answered: accepted or declined with a time. A withdrawal has a `responded_at` too, but the
# client took it back; it is nobody's answer (the dashboard's reply rate, the digest's week).
ANSWERED = Q(status__in=[Status.ACCEPTED, Status.DECLINED], responded_at__isnull=False)
# What every page, e-mail and list calls an invitation saved without a title.
UNTITLED = "Untitled invitation"


class InvitationQuerySet(models.QuerySet):
    """The questions asked of invitations in many places, each written once."""

    def due_for_sweep(self, now):
        """Open, past their reply-by and not yet flagged (the `inv_sweep_due` index)."""
        return self.filter(status=Status.OPEN, flagged_at=None, reply_by__lte=now)

    def overdue(self, now):
        """Open and past their reply-by, flagged or not, and no reply noticed: somebody is being ghosted."""
        return self.filter(status=Status.OPEN, reply_by__lte=now, responded_at=None)

    def answered(self):
        return self.filter(ANSWERED)


class Invitation(Searchable):
    """An invitation to interview, from receipt to answer."""

    objects = InvitationQuerySet.as_manager()
    SEARCHED = ("title", "notes", "response_message")  # and its client's, searched beside it

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
        return f"{self.display_title} from {self.client.name}"

    @property
    def display_title(self):
        """The title, or UNTITLED: the one name an untitled invitation goes by."""
        return self.title or UNTITLED

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


class UnsentAnswer(models.Model):
    """An answer saved on the respond page (or with `respond --draft`) that the user has not sent yet.

    Saving is not sending: until the user says they sent it, or answered some other way, the
    invitation keeps its status and its `reply` follow-up, so the sweep, the digest and "Needs me
    now" still hold it to its reply-by. Confirming records it through respond(), which deletes
    this row, as does any answer given in the meantime. One per invitation.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unsent_answers")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="unsent")
    saved_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    busy_until = models.DateField(null=True, blank=True)
    interview_at = models.DateTimeField(null=True, blank=True)
    suggest = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True, max_length=10_000)

    def __str__(self):
        return f"{self.get_status_display()}, saved {self.saved_at:%Y-%m-%d %H:%M}, not sent"
