"""The admin's own forms: the invitation without its answer, and its follow-ups inline."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from invitations.forms.text import CheckedText
from invitations.intake.log import check_dates
from invitations.models import FollowUpKind, Invitation

# The answer, set only by responses.respond (which keeps each answer and opens and closes what it
# owes): the admin shows these fields and links to the respond page, and its form leaves them out.
ANSWER_FIELDS = [
    "status", "responded_at", "response_channel", "decline_reason", "busy_until", "response_message", "interview_at",
]


class InvitationAdminForm(CheckedText, forms.ModelForm):
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
    """The invitation's follow-ups in the admin. One open per kind is the database's constraint
    (and add_followup's); this says so on the row that would break it, before anything is saved.

    The inline lists every follow-up of the invitation, so the rows are the whole picture; on the
    add page logging opens the `reply` one itself, so a typed one would be its twin.
    """

    def clean(self):
        super().clean()
        adding = self.instance.pk is None
        open_kinds = {FollowUpKind.REPLY} if adding else set()
        for form in self.forms:
            kind = self._open_kind(form)
            if not kind:
                continue
            if kind == FollowUpKind.REPLY and adding:
                form.add_error("kind", "Logging opens the reply follow-up itself, due at Reply by; leave this row out.")
            elif kind in open_kinds:
                form.add_error("kind", "This invitation already has an open follow-up of this kind; "
                                       "mark that one done first, or pick another kind.")
            open_kinds.add(kind)

    def _open_kind(self, form):
        """The kind of follow-up this row leaves open, or None (empty, deleted or done rows count for none)."""
        data = getattr(form, "cleaned_data", None)
        if not data or self._should_delete_form(form) or data.get("done_at"):
            return None
        return data.get("kind")
