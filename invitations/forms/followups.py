"""The dashboard's Done button: how it was done and a note, checked like every other form."""

from django import forms

from invitations.followups.reconnects import NOTE_LIMIT, finish
from invitations.forms.answers import DomainErrorsMixin
from invitations.forms.text import CheckedText
from invitations.models import Channel


class DoneForm(CheckedText, DomainErrorsMixin, forms.Form):
    channel = forms.ChoiceField(
        choices=[("", "(not said)"), *Channel.choices], required=False,
        error_messages={"invalid_choice": f"choose one of {', '.join(Channel.labels)}."},
    )
    note = forms.CharField(required=False, max_length=NOTE_LIMIT)

    def save(self, followup, *, now):
        """finish() through the domain: True if done now, False if it was done already, None if refused."""
        return self.save_through(lambda data: finish(followup, now=now, **data))

    def problems(self):
        """The errors as one line for a message: "Note: Ensure this value has at most ..."."""
        return " ".join(' '.join(errors) if name == "__all__" else f"{self.fields[name].label or name.title()}: {' '.join(errors)}"
                        for name, errors in self.errors.items())
