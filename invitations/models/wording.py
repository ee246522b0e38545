"""The user's own wording: a part of the drafts written their way (docs/design.md, rule 13)."""

from django.conf import settings
from django.db import models

from invitations.models.choices import DeclineReason, Language

# The parts of a decline a user may word themselves; "reason:<reason>" is the sentence for that reason.
DECLINE_PARTS = [
    ("opening", "Opening (the thanks)"),
    *[(f"reason:{value}", f"Reason: {label}") for value, label in DeclineReason.choices if value != "other"],
    ("busy", "Busy period and reconnect request"),
    ("suggestion", "Suggesting someone else"),
    ("sign_off", "Sign-off"),
]
# The other messages' parts, "<message>:<part>" (a decline's kept their names from before these came).
KINDS = {"decline": "Decline", "accept": "Acceptance", "reconnect": "Reconnect after a busy period",
         "referrer": "Word to a referrer"}
OTHER_PARTS = [
    ("accept:opening", "Opening (the thanks)"),
    ("accept:yes", "Saying yes to the interview time"),
    ("accept:ask", "Saying yes and asking for a time"),
    ("accept:sign_off", "Sign-off"),
    ("reconnect:opening", "Reminding them of your promise to get back in touch"),
    ("reconnect:ask", "Asking whether their need is still open"),
    ("reconnect:sign_off", "Sign-off"),
    ("referrer:opening", "Opening (thanks for the introduction)"),
    ("referrer:sign_off", "Sign-off"),
]
PARTS = DECLINE_PARTS + [(part, f"{KINDS[part.split(':')[0]]}: {label}") for part, label in OTHER_PARTS]
SHORT_LABELS = dict(DECLINE_PARTS + OTHER_PARTS)  # under their message's heading on the wording page


def kind_of(part):
    """The message a Wording.part belongs to: "accept" for "accept:yes", a decline's for the rest."""
    kind = part.split(":")[0]
    return kind if kind in KINDS else "decline"


class WordingChannel(models.TextChoices):
    """Where an own wording applies: every written draft, or only the e-mail or the platform message."""

    ANY = "", "E-mail and platform"
    EMAIL = "email", "E-mail only"
    PLATFORM = "platform", "Platform message only"


class Wording(models.Model):
    """One part of the drafts in the user's words, for one language and channel, with $placeholders.

    Filled by string.Template (answers/wording.py), never rendered as a Django template: a user's
    text can reach no variable, tag or filter beyond the documented placeholders.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wordings")
    language = models.CharField(max_length=5, choices=Language.choices)
    part = models.CharField(max_length=30, choices=PARTS)
    channel = models.CharField(max_length=10, choices=WordingChannel.choices, blank=True)
    text = models.TextField(max_length=1000)

    class Meta:
        ordering = ["language", "part", "channel"]
        constraints = [
            models.UniqueConstraint("owner", "language", "part", "channel", name="wording_one_per_part"),
        ]

    def __str__(self):
        return f"{self.get_part_display()} ({self.language}{', ' + self.channel if self.channel else ''})"
