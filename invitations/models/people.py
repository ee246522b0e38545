"""The user's profile and the people they deal with."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from invitations.clock import zone_named
from invitations.models.choices import PLATFORM_ERRORS, Language, Platform, validate_timezone
from invitations.models.search import Searchable


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
    display_name = models.CharField(
        max_length=100, blank=True, help_text="Your name as noghost greets you and signs drafts, such as Alex Demo."
    )
    signature = models.CharField(
        max_length=200, blank=True,
        help_text="How drafted messages are signed off, under “Best regards,”; your name if empty.",
    )
    language = models.CharField(
        max_length=5, choices=Language.choices, default=Language.EN,
        help_text="The language drafts are written in for a client who has none of their own.",
    )
    busy_period = models.CharField(
        max_length=30, default="2 weeks",
        help_text="Your usual busy period, such as '2 weeks': what “Decline as busy” in a reminder offers.",
    )
    # Why the last sweep could not nudge this user, or the last digest run could not make their
    # digest, and when (reminders/problems.py): written by the run that skipped them, cleared by
    # the next one that serves them, shown to them and to superusers for a day.
    nudge_problem = models.CharField(max_length=300, blank=True, editable=False)
    nudge_problem_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest_problem = models.CharField(max_length=300, blank=True, editable=False)
    digest_problem_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="profile_digest_hour_0_23"),
            models.CheckConstraint(condition=Q(reply_window_hours__gte=1), name="profile_reply_window_positive"),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def name(self):
        """What noghost calls the user (greetings of nudges and digests): never just a login name if it knows better."""
        return self.display_name.strip() or self.user.get_full_name() or self.user.get_username()

    @property
    def sign_off(self):
        """The lines under a drafted message's closing: the signature, else the user's name."""
        return self.signature.strip() or self.name

    @property
    def zone(self):
        """The ZoneInfo, or a ValueError naming a zone this system no longer knows (after a tzdata update)."""
        return zone_named(self.timezone)


class Client(Searchable):
    """A person or company that invites, or a contact who refers."""

    SEARCHED = ("name", "company", "email", "notes")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=200)
    company = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True, error_messages=PLATFORM_ERRORS)
    profile_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True, max_length=10_000)
    # Empty: the owner's language (Profile.language), so changing yours changes every such client's.
    language = models.CharField(max_length=5, choices=Language.choices, blank=True,
                                help_text="The language drafts to this client are written in; yours if empty.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # Logging "ACME" after "Acme" reuses the client; the database refuses a twin.
            models.UniqueConstraint(Lower("name"), "owner", name="client_name_unique_per_owner_ci"),
        ]

    def __str__(self):
        return f"{self.name} ({self.company})" if self.company else self.name

    @property
    def draft_language(self):
        """The language drafts to this client are written in: theirs, else their owner's."""
        return self.language or self.owner.profile.language
