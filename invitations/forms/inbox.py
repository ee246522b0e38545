"""The "add from an e-mail" form: a saved .eml, or the message's source pasted."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from invitations.forms.text import CheckedText


class AddFromEmailForm(CheckedText, forms.Form):
    """One of the two; the domain stores and reads whatever bytes they hold.

    The pasted source is a message's raw bytes (an ISO-2022-JP body holds ESC characters): the
    capture stores it as it came and names what it cannot read, so the text check leaves it be.
    """

    raw_fields = ("source",)

    file = forms.FileField(
        label="An .eml file", required=False, widget=forms.ClearableFileInput(attrs={"accept": ".eml,message/rfc822"}),
        help_text="Drop it here, or pick one: in most mail programs, save or drag the message out as a file.",
    )
    source = forms.CharField(
        label="Or the message's source", required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "mono"}),
        help_text="Gmail: ⋮ > Show original > Copy to clipboard. Outlook: … > View > View message source.",
    )

    def clean(self):
        file, source = self.cleaned_data.get("file"), self.cleaned_data.get("source", "").strip()
        if bool(file) == bool(source):
            raise forms.ValidationError("Give either a file or the pasted source, one message.")
        if file and file.size > settings.INBOUND_MAX_BYTES:
            limit = filesizeformat(settings.INBOUND_MAX_BYTES).replace("\xa0", " ")
            self.add_error("file", f"That file is over {limit}; noghost reads messages up to that size.")
            return self.cleaned_data
        self.cleaned_data["raw"] = file.read() if file else source.encode("utf-8")
        if file and not self.cleaned_data["raw"].strip():
            self.add_error("file", "That file is empty.")
        return self.cleaned_data
