"""The lists' filters and the client forms: they parse; the workspace package decides and writes."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from invitations.forms.answers import DomainErrorsMixin
from invitations.forms.text import CheckedText
from invitations.intake.log import find_client
from invitations.models import Client, DeclineReason, Platform, Status
from invitations.workspace.clients import EDITABLE, edit_client, merge_clients
from invitations.workspace.lists import PERIODS, WINDOWS, ClientFilters, InvitationFilters

ALL = [("", "Any")]


class FiltersForm(CheckedText, forms.Form):
    """A GET form whose valid fields become a filters dataclass; a bad value is ignored and shown."""

    filters_class = None

    def filters(self):
        if not self.is_bound:
            return self.filters_class()
        self.is_valid()
        chosen = {name: value for name, value in self.cleaned_data.items() if value not in ("", None, False)}
        return self.filters_class(**chosen)

    def is_filtered(self):
        return self.filters() != self.filters_class()


class InvitationFilterForm(FiltersForm):
    filters_class = InvitationFilters

    q = forms.CharField(label="Search", required=False, max_length=200, widget=forms.SearchInput(attrs={
        "placeholder": "Clients, titles, notes…", "data-search": "", "autocomplete": "off"}))
    status = forms.ChoiceField(choices=ALL + Status.choices, required=False)
    platform = forms.ChoiceField(choices=ALL + Platform.choices, required=False)
    window = forms.ChoiceField(label="Answered", choices=ALL + [(k, label) for k, (label, _) in WINDOWS.items()],
                               required=False)
    reason = forms.ChoiceField(label="Decline reason", choices=ALL + DeclineReason.choices, required=False)
    period = forms.TypedChoiceField(label="Received", coerce=int, required=False, empty_value=None,
                                    choices=[("", "Any time"), *((d, f"Last {d} days") for d in PERIODS)])
    overdue = forms.BooleanField(label="Overdue only", required=False)


class ClientFilterForm(FiltersForm):
    filters_class = ClientFilters

    q = forms.CharField(label="Search", required=False, max_length=200, widget=forms.SearchInput(attrs={
        "placeholder": "Name, company, e-mail, notes", "data-search": "", "autocomplete": "off"}))
    platform = forms.ChoiceField(choices=[("", "All platforms"), *Platform.choices], required=False)


class ClientForm(CheckedText, DomainErrorsMixin, forms.Form):
    """Edit a client; the "one client per name, any case" rule is the domain's (edit_client)."""

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, initial={name: getattr(client, name) for name in EDITABLE}, **kwargs)
        self.fields.update(forms.fields_for_model(Client, fields=EDITABLE, formfield_callback=_https_by_default))
        self.fields["email"].label, self.fields["profile_url"].label = "E-mail", "Profile link"
        self.fields["phone"].widget.attrs["type"] = "tel"
        self.fields["notes"].widget.attrs["rows"] = 4
        self.client = client

    def save(self):
        return self.save_through(lambda data: edit_client(self.client, **data))


def _https_by_default(field, **kwargs):
    """A profile address typed without a scheme is https (as quick-add's link is)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class MergeForm(CheckedText, DomainErrorsMixin, forms.Form):
    """Name the other client; a second post with `confirm` merges it into this one."""

    other = forms.CharField(label="Merge with", max_length=200, help_text="Another of your clients, by name.",
                            widget=forms.TextInput(attrs={"list": "client-names", "autocomplete": "off"}))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    field_for = {"other": "other"}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_other(self):
        other = find_client(self.client.owner, self.cleaned_data["other"])
        if other is None:
            raise ValidationError("You have no client of that name.")
        if other.pk == self.client.pk:
            raise ValidationError("That is this client; name the other one.")
        return other

    def save(self):
        return self.save_through(lambda data: merge_clients(self.client, data["other"]))
