"""What the user owes someone: a reply, a reconnect, a word to a referrer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from invitations.models.choices import Channel, FollowUpKind
from invitations.models.invitations import Invitation
from invitations.models.people import Client


class FollowUpQuerySet(models.QuerySet):
    """The questions asked of follow-ups in many places, each written once."""

    def open(self):
        return self.filter(done_at=None)

    def actionable(self, now):
        """Open and not snoozed past `now`: what the dashboard and the digest list."""
        return self.open().filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))

    def reconnects(self):
        return self.filter(kind=FollowUpKind.RECONNECT)

    def with_client(self, client):
        """About `client` directly or about one of its invitations.

        The invitations as a subquery, not a join: an UPDATE through a join is compiled into a
        nested SELECT of ids, and building that query cost more than running it (the contact rule
        runs at every logged and answered invitation, 20,000 times in a 10,000-row import).
        """
        return self.filter(Q(client=client) | Q(invitation__in=Invitation.objects.filter(client=client).values("pk")))


class FollowUp(models.Model):
    """Something the user owes someone: a reply, a reconnect, a word to a referrer."""

    objects = FollowUpQuerySet.as_manager()

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
            # The dashboard's reconnects due in the period, done or not (metrics.reconnects): without
            # it that count walked every follow-up the owner ever had, growing with the rows kept.
            # done_at last, so the count is read from the index alone, never from the table.
            models.Index(fields=["owner", "kind", "due_at", "done_at"], name="fu_owner_kind_due_done"),
        ]

    def __str__(self):
        """Read in the current zone (the user's, on their pages and in the admin), 24-hour."""
        return f"{self.get_kind_display()} (due {timezone.localtime(self.due_at):%Y-%m-%d %H:%M})"
