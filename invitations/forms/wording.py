"""The wording page's form: the user's own text for each part of every draft, in one language."""

from django import forms
from django.db import transaction

from invitations.answers.wording import check_wording, known
from invitations.forms.text import CheckedText
from invitations.models import Wording
from invitations.models.wording import KINDS, PARTS, SHORT_LABELS, kind_of

# (field name, part, channel): every part once for both written channels, a sign-off per channel
# (noghost's own differs: "Best regards," by e-mail, "Thanks again," or "Thanks," on a platform).
FIELDS = [(part.replace(":", "_"), part, "") for part, _label in PARTS if not part.endswith("sign_off")] + [
    (f"{part.replace(':', '_')}_{channel}", part, channel)
    for part, _label in PARTS if part.endswith("sign_off") for channel in ("email", "platform")
]
FIELDS.sort(key=lambda field: list(KINDS).index(kind_of(field[1])))  # grouped by message, in PARTS order
BY = {"email": "by e-mail", "platform": "on a platform"}
LABELS = {name: f"{SHORT_LABELS[part]} {BY[channel]}" if channel else SHORT_LABELS[part]
          for name, part, channel in FIELDS}


def preview_of(part):
    """Which sample the preview shows while `part` is typed: the acceptance asking for a time for its sentence."""
    return "accept_ask" if part == "accept:ask" else kind_of(part)


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
                label=LABELS[name], required=False, max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "data-part": name, "data-preview-kind": preview_of(part)}),
            )

    def groups(self):
        """The fields under their message's heading, and whether it holds a saved or a bad text (shown open)."""
        found = {kind: [] for kind in KINDS}
        for name, part, _channel in FIELDS:
            found[kind_of(part)].append(self[name])
        return [{"kind": kind, "heading": KINDS[kind], "fields": fields,
                 "open": any(field.errors or field.initial for field in fields)}
                for kind, fields in found.items()]

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
