"""The import's forms: the file, then (for a CSV that is not noghost's own) which column is what."""

from django import forms
from django.core.exceptions import ValidationError

from invitations.forms.text import CheckedText
from invitations.imports.columns import FIELDS, LABELS, REQUIRED, UnreadableFile, decode, mapping_errors, read


class UploadForm(CheckedText, forms.Form):
    file = forms.FileField(label="CSV file", help_text="noghost's own export, or any CSV with a header row.",
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            text = decode(upload.read())
            self.header, self.rows = read(text)
        except UnreadableFile as exc:
            raise ValidationError(str(exc))
        self.text = text
        return upload


class MappingForm(CheckedText, forms.Form):
    """One choice per noghost field: the file's column that holds it, or none."""

    def __init__(self, *args, header, **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        choices = [("", "(not in this file)"), *((name, name) for name in header)]
        for field in FIELDS:
            self.fields[field] = forms.ChoiceField(label=LABELS[field], choices=choices, required=field in REQUIRED)

    def clean(self):
        mapping = {field: value for field, value in self.cleaned_data.items() if value}
        for field, messages in mapping_errors(mapping, self.header).items():
            self.add_error(field, messages)
        self.mapping = mapping
        return self.cleaned_data
