"""The admin's own forms: the invitation without its answer, and its follow-ups inline."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from invitations.forms.text import CheckedText
from invitations.intake.log import SELF_REFERRAL, check_dates
from invitations.models import FollowUp, FollowUpKind, Invitation, Status

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
        if data.get("referred_by") and data.get("referred_by") == data.get("client"):
            self.add_error("referred_by", SELF_REFERRAL)
        return data


ANSWER_FIRST = "Its invitation is not answered yet, so this reply stays open: answer it on the respond page."


def unanswered_reply_problems(followup, data, changed, *, deleting=False, replaced=False):
    """What an admin edit may not do to the reply of an invitation still open, by field: close it
    or delete it (only an answer does: answers/respond.py) unless another open reply `replaced` it,
    or move it off the invitation's reply-by (change Reply by on the invitation, which moves both)."""
    invitation = _unanswered(followup)
    if invitation is None:
        return {}
    if deleting:
        return {} if replaced else {None: ANSWER_FIRST}
    problems = {}
    if "done_at" in changed and data.get("done_at") and not replaced:
        problems["done_at"] = ANSWER_FIRST
    if "kind" in changed:
        problems["kind"] = ANSWER_FIRST
    if "due_at" in changed and _moved(data.get("due_at"), invitation.reply_by):
        problems["due_at"] = "A reply is due at the invitation's Reply by: change that instead, and this follows."
    return problems


def _unanswered(followup):
    """The still-open invitation a saved `reply` follow-up belongs to, or None."""
    if followup.pk is None or followup.kind != FollowUpKind.REPLY or followup.invitation_id is None:
        return None
    return Invitation.objects.filter(pk=followup.invitation_id, status=Status.OPEN).only("reply_by").first()


def _moved(due_at, reply_by):
    """A new due time a second or more off the reply-by (the form drops microseconds)."""
    return due_at is not None and abs(due_at - reply_by) >= dt.timedelta(seconds=1)


class FollowUpAdminForm(CheckedText, forms.ModelForm):
    """The follow-up change page: the reply of an unanswered invitation cannot be closed here."""

    class Meta:
        model = FollowUp
        exclude = ["owner"]

    def clean(self):
        data = super().clean()
        for field, problem in unanswered_reply_problems(self.instance, data, self.changed_data).items():
            self.add_error(field if field in self.fields else None, problem)
        return data


class FollowUpInlineFormSet(BaseInlineFormSet):
    """The invitation's follow-ups in the admin. One open per kind is the database's constraint
    (and add_followup's); this says so on the row that would break it, before anything is saved.

    The inline lists every follow-up of the invitation, so the rows are the whole picture; on the
    add page logging opens the `reply` one itself, so a typed one would be its twin.
    """

    def clean(self):
        super().clean()
        self._keep_unanswered_replies_open()
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

    def _keep_unanswered_replies_open(self):
        """unanswered_reply_problems() for each row; a reply closed while another row opens one (a new
        deadline) leaves the invitation covered, so that is allowed."""
        replaced = any(self._open_kind(form) == FollowUpKind.REPLY for form in self.forms)
        refused = []
        for form in self.forms:
            problems = unanswered_reply_problems(form.instance, getattr(form, "cleaned_data", None) or {},
                                                 form.changed_data, deleting=self._should_delete_form(form),
                                                 replaced=replaced)
            for field, problem in problems.items():
                if field is None:
                    refused.append(problem)  # a row marked for deletion shows no errors of its own
                else:
                    form.add_error(field, problem)
        if refused:
            raise ValidationError(refused)

    def _open_kind(self, form):
        """The kind of follow-up this row leaves open, or None (empty, deleted or done rows count for none)."""
        data = getattr(form, "cleaned_data", None)
        if not data or self._should_delete_form(form) or data.get("done_at"):
            return None
        return data.get("kind")
