"""The settings page's form: when and how noghost reaches the user."""

import zoneinfo

from django import forms

from invitations.forms.text import CheckedText
from invitations.models import Profile


def hour_label(hour):
    return f"{hour:02d}:00"


class SettingsForm(CheckedText, forms.ModelForm):
    """When and how noghost reaches the user; the model's validators name each bad field."""

    digest_hour = forms.TypedChoiceField(
        coerce=int, choices=[(h, hour_label(h)) for h in range(24)], label="Digest hour",
        help_text="Local time the daily digest goes out (if something needs you).",
    )

    class Meta:
        model = Profile
        fields = ["timezone", "digest_hour", "reply_window_hours", "digest_enabled", "nudges_enabled"]
        labels = {
            "timezone": "Time zone", "reply_window_hours": "Reply window (hours)",
            "digest_enabled": "Send me the daily digest", "nudges_enabled": "Nudge me when an invitation goes overdue",
        }
        help_texts = {"timezone": "An IANA name such as Europe/Berlin; start typing to search."}
        widgets = {"timezone": forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"})}

    zone_names = sorted(zoneinfo.available_timezones())

    def clean_timezone(self):
        return self.cleaned_data["timezone"].strip()

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
