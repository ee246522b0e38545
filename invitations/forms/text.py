"""The shared text check (invitations/text.py) on every text field of every form, the admin's too.

A field typed into by a person gets text.validate_text, so a NUL, a form feed or a terminal
escape is refused under the field's name before anything is saved, on every page alike.
"""

from django import forms

from invitations.text import validate_text


def check_text_fields(form, *, raw=()):
    """Give each text field of `form` (CharField and its kin: e-mail, URL, text areas) the check, once.

    Fields named in `raw` are left as they came: bytes handed to a reader, never stored as text.
    """
    for name, field in form.fields.items():
        if name in raw:
            continue
        if isinstance(field, forms.CharField) and validate_text not in field.validators:
            field.validators.append(validate_text)


class CheckedText:
    """Mixin for a Form or ModelForm: every text field gets the shared check, but `raw_fields`."""

    raw_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self, raw=self.raw_fields)


class CheckedModelForm(CheckedText, forms.ModelForm):
    """The admin's default form (ModelAdmin.form): the shared check on every text field."""
