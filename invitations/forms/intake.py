"""Logging by hand: the quick-add form parses what the user typed; the domain decides and writes."""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from invitations.forms.text import CheckedText
from invitations.intake.inbox import log_from, prefill
from invitations.intake.log import log_invitation
from invitations.models import Client, Language, Platform

# What a link to the form may fill in (?client=...&company=...): the client page's "Log invitation".
PREFILLED = {"client": "name", "company": "company", "email": "email", "phone": "phone", "platform": "platform"}


def prefill_query(client):
    """The query string that opens the quick-add form filled in with `client`."""
    return urlencode({field: getattr(client, attr) for field, attr in PREFILLED.items() if getattr(client, attr)})


class QuickAddForm(CheckedText, forms.Form):
    """Log an invitation in a few seconds: the client is picked from mine or typed anew."""

    client = forms.CharField(
        max_length=200, help_text="One of your clients, or a new name.",
        widget=forms.TextInput(attrs={"list": "client-names", "autocomplete": "off", "autofocus": True}),
    )
    company = forms.CharField(max_length=200, required=False, help_text="For a new client.")
    email = forms.EmailField(required=False, help_text="For a new client.")
    phone = forms.CharField(max_length=50, required=False, help_text="For a new client.",
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
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
    language = forms.ChoiceField(choices=[("", "Yours (from Settings)"), *Language.choices], required=False,
                                 help_text="For a new client: the language drafts to them are written in.")

    def __init__(self, *args, owner, message=None, query=None, **kwargs):
        """`message`: the inbox's e-mail this logs (its fields pre-filled; marked logged with it).
        `query`: the page's GET, whose client fields pre-fill the form (the client page's link)."""
        if message is not None:
            kwargs.setdefault("initial", prefill(message))
        else:
            kwargs.setdefault("initial", {name: query[name] for name in PREFILLED if (query or {}).get(name)})
        super().__init__(*args, **kwargs)
        self.owner, self.message = owner, message
        self.client_names = list(Client.objects.filter(owner=owner).values_list("name", flat=True))

    def save(self, *, now=None):
        """Log through the domain; its errors land on the fields they name. None if invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        fields = {name: data[name] for name in (
            "client", "company", "email", "phone", "title", "platform", "received_at", "reply_by", "url", "referred_by",
            "notes", "language")}
        try:
            if self.message is not None:
                return log_from(self.message, now=now or timezone.now(), **fields)
            return log_invitation(self.owner, now=now or timezone.now(), **fields)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                self.add_error(None, exc.messages)
                return None
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return None
