"""Forms: they parse what the user typed; the domain decides what is valid and writes."""

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from invitations.intake import check_dates, log_invitation
from invitations.models import Client, FollowUpKind, Invitation, Platform, Profile


class QuickAddForm(forms.Form):
    """Log an invitation in a few seconds: the client is picked from mine or typed anew."""

    client = forms.CharField(
        max_length=200, help_text="One of your clients, or a new name.",
        widget=forms.TextInput(attrs={"list": "client-names", "autocomplete": "off", "autofocus": True}),
    )
    company = forms.CharField(max_length=200, required=False, help_text="For a new client.")
    email = forms.EmailField(required=False, help_text="For a new client.")
    title = forms.CharField(max_length=200, required=False, help_text="The job or project.")
    platform = forms.ChoiceField(choices=Platform.choices, initial=Platform.UPWORK)
    received_at = forms.DateTimeField(
        label="Received", required=False, help_text="Leave empty for now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reply_by = forms.DateTimeField(
        label="Reply by", required=False, help_text="Leave empty for received + your reply window.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    referred_by = forms.CharField(
        max_length=200, required=False, help_text="Who sent them your way, if anyone.",
        widget=forms.TextInput(attrs={"list": "client-names", "autocomplete": "off"}),
    )
    notes = forms.CharField(required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.client_names = list(Client.objects.filter(owner=owner).values_list("name", flat=True))

    def save(self, *, now=None):
        """Log through the domain; its errors land on the fields they name. None if invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            return log_invitation(
                self.owner, now=now or timezone.now(), client=data["client"], company=data["company"],
                email=data["email"], title=data["title"], platform=data["platform"],
                received_at=data["received_at"], reply_by=data["reply_by"], url=data["url"],
                referred_by=data["referred_by"], notes=data["notes"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return None


# The answer, set only by responses.respond (which keeps each answer and opens and closes what it
# owes): the admin shows these fields and links to the respond page, and its form leaves them out.
ANSWER_FIELDS = [
    "status", "responded_at", "response_channel", "decline_reason", "busy_until", "response_message", "interview_at",
]


class InvitationAdminForm(forms.ModelForm):
    """The admin's form: reply-by may be left empty on add (the domain fills it in); no answer fields,
    so an invitation added here is logged open and one changed here keeps its answer."""

    url = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Invitation
        exclude = ["owner", *ANSWER_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["reply_by"].required = False
            self.fields["reply_by"].help_text = "Leave empty for received + your reply window."
            self.fields["received_at"].initial = timezone.now

    def clean(self):
        data = super().clean()
        # The domain's date rules, shown on the form before the domain is asked to save (and
        # before the database's own check meets a date it cannot convert).
        received_at, reply_by = data.get("received_at"), data.get("reply_by")
        for field, messages in check_dates(received_at, reply_by, now=timezone.now()).items():
            if field in data:
                self.add_error(field, messages)
        return data


class FollowUpInlineFormSet(BaseInlineFormSet):
    """The invitation's follow-ups in the admin: at most one open per kind (the database's
    constraint), said on the row that would break it instead of failing on save.

    The inline lists every follow-up of the invitation, so the rows are the whole picture; on the
    add page logging opens the `reply` one itself, so a typed one would be its twin.
    """

    def clean(self):
        super().clean()
        adding = self.instance.pk is None
        open_kinds = {FollowUpKind.REPLY} if adding else set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form) or not data.get("kind") or data.get("done_at"):
                continue
            kind = data["kind"]
            if kind == FollowUpKind.REPLY and adding:
                form.add_error("kind", "Logging opens the reply follow-up itself, due at Reply by; leave this row out.")
            elif kind in open_kinds:
                form.add_error("kind", "This invitation already has an open follow-up of this kind; "
                                       "mark that one done first, or pick another kind.")
            open_kinds.add(kind)


def hour_label(hour):
    return f"{hour:02d}:00"


class SettingsForm(forms.ModelForm):
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
