"""The wording page's form: the user's own text for each part of a decline, in one language."""

from django import forms
from django.db import transaction

from invitations.answers.wording import check_wording, known
from invitations.forms.text import CheckedText
from invitations.models import Wording
from invitations.models.wording import PARTS

# (field name, part, channel): every part once for both written channels, the sign-off per channel
# (noghost's own differs: "Best regards," by e-mail, "Thanks again," on a platform).
FIELDS = [(part.replace(":", "_"), part, "") for part, _label in PARTS if part != "sign_off"] + [
    ("sign_off_email", "sign_off", "email"), ("sign_off_platform", "sign_off", "platform"),
]
LABELS = {**dict(PARTS), "sign_off_email": "Sign-off by e-mail", "sign_off_platform": "Sign-off on a platform"}


class WordingForm(CheckedText, forms.Form):
    """One text area a part; empty is noghost's wording. Each text is checked (check_wording) by name."""

    def __init__(self, *args, owner, language, **kwargs):
        self.owner, self.language = owner, language
        self.rows = {(row.part, row.channel): row for row in Wording.objects.filter(owner=owner, language=language)}
        initial = {name: self.rows[(part, channel)].text for name, part, channel in FIELDS
                   if (part, channel) in self.rows}
        super().__init__(*args, initial=initial, **kwargs)
        for name, part, _channel in FIELDS:
            self.fields[name] = forms.CharField(
                label=LABELS.get(name, LABELS.get(part)), required=False, max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "data-part": name}),
            )

    def clean(self):
        for name, _part, _channel in FIELDS:
            problem = check_wording(self.cleaned_data.get(name) or "")
            if problem:
                self.add_error(name, problem)
        return self.cleaned_data

    def wordings(self):
        """The (unsaved) rows the form's texts make, for the preview."""
        return [Wording(owner=self.owner, language=self.language, part=part, channel=channel,
                        text=self.cleaned_data[name].strip())
                for name, part, channel in FIELDS if (self.cleaned_data.get(name) or "").strip()]

    @transaction.atomic
    def save(self):
        """Store the parts given, drop the ones emptied, in one transaction."""
        given = {(row.part, row.channel): row.text for row in self.wordings()}
        Wording.objects.filter(owner=self.owner, language=self.language).exclude(
            pk__in=[row.pk for key, row in self.rows.items() if key in given]).delete()
        for (part, channel), text in given.items():
            Wording.objects.update_or_create(owner=self.owner, language=self.language, part=part, channel=channel,
                                             defaults={"text": text})


def reset_part(owner, language, name):
    """Back to noghost's wording for the field `name`: its row goes. False for a name that is no part."""
    found = [(part, channel) for field, part, channel in FIELDS if field == name]
    if not found:
        return False
    part, channel = found[0]
    Wording.objects.filter(owner=owner, language=language, part=part, channel=channel).delete()
    return True


PLACEHOLDER_HELP = known()
