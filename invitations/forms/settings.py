"""The settings page's form: when and how noghost reaches the user."""

import zoneinfo

from django import forms

from invitations.forms.text import CheckedText
from invitations.models import Language, Profile

WINDOW = (1, 24 * 30)  # hours: the model's validators and its check constraint


def hour_label(hour):
    return f"{hour:02d}:00"


class SettingsForm(CheckedText, forms.ModelForm):
    """When and how noghost reaches the user; the model's validators name each bad field."""

    digest_hour = forms.TypedChoiceField(
        coerce=int, choices=[(h, hour_label(h)) for h in range(24)], label="Digest hour",
        help_text="Local time the daily digest goes out (if something needs you).",
    )
    # One bound, said the same way for 0 and for -5 (the model's field would say ">= 0" for one, ">= 1" for the other).
    reply_window_hours = forms.IntegerField(
        label="Reply window (hours)", help_text="How long after an invitation arrives its answer is due.",
        min_value=WINDOW[0], max_value=WINDOW[1],
    )
    # Left out of a post (an older page, a script), it stays as it was.
    language = forms.ChoiceField(
        choices=Language.choices, required=False, label="Your drafts' language",
        help_text="What drafts are written in for a client who has no language of their own.",
    )

    class Meta:
        model = Profile
        fields = ["display_name", "signature", "timezone", "digest_hour", "reply_window_hours", "digest_enabled",
                  "nudges_enabled", "language"]
        labels = {
            "display_name": "Your name", "signature": "Signature",
            "timezone": "Time zone", "reply_window_hours": "Reply window (hours)",
            "digest_enabled": "Send me the daily digest", "nudges_enabled": "Nudge me when an invitation goes overdue",
        }
        help_texts = {"timezone": "An IANA name such as Europe/Berlin; start typing to search."}
        widgets = {
            "timezone": forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}),
            "signature": forms.Textarea(attrs={"rows": 3, "placeholder": "Alex Demo\nBackend developer · alex.example"}),
        }

    zone_names = sorted(zoneinfo.available_timezones())

    def clean_timezone(self):
        return self.cleaned_data["timezone"].strip()

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language

    def clean_signature(self):
        """As typed, one line per line (the textarea sends \r\n)."""
        return "\n".join(line.rstrip() for line in self.cleaned_data["signature"].splitlines()).strip()

    def save(self, commit=True):
        """Only these settings, and no problem a run recorded (reminders/problems.py): it was met
        with the old settings, and the next run says again whether it stands."""
        profile = super().save(commit=False)
        profile.nudge_problem = profile.digest_problem = ""
        profile.nudge_problem_at = profile.digest_problem_at = None
        if commit:
            profile.save(update_fields=[*self._meta.fields, "nudge_problem", "nudge_problem_at",
                                        "digest_problem", "digest_problem_at"])
        return profile
