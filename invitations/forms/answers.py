"""Forms for answering, reconnecting and logging a contact: they parse; the domain decides and writes.

Kept apart from forms/intake.py so each area's forms read on their own.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from invitations.answers import composer
from invitations.answers.periods import busy_until_after
from invitations.answers.reply import Reply, draft_for
from invitations.answers.respond import LateCancellation, confirm_sent, respond
from invitations.clock import local_date
from invitations.followups.reconnects import finish, log_contact, mark_reconnected
from invitations.forms.text import CheckedText
from invitations.models import Channel, DeclineReason, Status

ACTION_CHOICES = [("decline", "Decline"), ("accept", "Accept"), ("withdrawn", "The client withdrew it")]
ACTION_OF = {Status.ACCEPTED: "accept", Status.DECLINED: "decline"}
# An interview further ahead than this is more often a mistyped year than a plan: confirm it first.
FAR_AHEAD = dt.timedelta(days=2 * 365)
CONFIRM_DATE_LABEL = "Yes, the interview really is on that date"


class DomainErrorsMixin:
    """Put a domain ValidationError on the fields it names (or on the form)."""

    field_for = {}

    def add_domain_errors(self, exc):
        for name, messages in exc.message_dict.items():
            name = self.field_for.get(name, name)
            self.add_error(name if name in self.fields else None, messages)

    def save_through(self, domain_call):
        """domain_call(cleaned_data) when the form is valid; None, with the domain's errors shown, when refused."""
        if not self.is_valid():
            return None
        try:
            return domain_call(self.cleaned_data)
        except ValidationError as exc:
            self.add_domain_errors(exc)
            return None


class RespondForm(CheckedText, DomainErrorsMixin, forms.Form):
    action = forms.ChoiceField(choices=ACTION_CHOICES, widget=forms.RadioSelect, initial="decline", label="Your answer")
    reason = forms.ChoiceField(
        choices=[("", "(no reason given)"), *DeclineReason.choices], required=False,
        help_text="One honest sentence about it goes into the draft.",
    )
    busy_until = forms.DateField(
        required=False, label="Busy until", help_text="Your last busy day. You will be reminded to reconnect then.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    busy_for = forms.CharField(
        required=False, max_length=40, label="…or busy for", help_text="A period from today: 10 days, 3 weeks, 2 months.",
        widget=forms.TextInput(attrs={"placeholder": "3 weeks"}),
    )
    suggest = forms.CharField(required=False, max_length=200, label="Suggest someone else",
                              help_text="Optional: a colleague who could fit.")
    interview_at = forms.DateTimeField(
        required=False, label="Interview at", help_text="When you accept: the interview's date and time.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    channel = forms.ChoiceField(choices=Channel.choices, label="How you answer")
    message = forms.CharField(
        required=False, max_length=10_000, label="Message",
        help_text="It follows your choices above until you edit it; “Draft message” starts again from them.",
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    force = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirm_date = forms.BooleanField(required=False, label=CONFIRM_DATE_LABEL)

    def __init__(self, *args, invitation, now, **kwargs):
        self.invitation, self.now = invitation, now
        self.zone = invitation.owner.profile.zone
        self.late = None
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("channel", invitation.response_channel or composer.default_channel(invitation))
        super().__init__(*args, **kwargs)
        self.field_for = {"busy_until": "busy_for" if self.data.get("busy_for") else "busy_until"}
        self.far_date = False  # an interview date to confirm (save())

    @classmethod
    def from_unsent(cls, unsent, *, invitation, now):
        """The page for an answer saved but not sent: its choices and its text, to edit or keep."""
        return cls(invitation=invitation, now=now, initial={
            "action": ACTION_OF[unsent.status], "reason": unsent.decline_reason, "busy_until": unsent.busy_until,
            "suggest": unsent.suggest, "interview_at": unsent.interview_at, "channel": unsent.channel,
            "message": unsent.message,
        })

    def clean(self):
        data = super().clean()
        if data.get("busy_for"):
            if data.get("busy_until"):
                self.add_error("busy_for", "Give a last busy day or a period, not both.")
            else:
                try:
                    data["busy_until"] = busy_until_after(data["busy_for"], today=local_date(self.now, self.zone))
                except ValueError as exc:
                    self.add_error("busy_for", f"{exc}.")
        return data

    def answer(self):
        """What the user chose, as `respond` takes it (for an action other than decline, only what applies)."""
        data = self.cleaned_data
        action = data["action"]
        return {
            "action": action, "channel": data["channel"],
            "reason": data["reason"] if action == "decline" else "",
            "busy_until": data.get("busy_until") if action == "decline" else None,
            "suggest": data["suggest"] if action == "decline" else "",
            "interview_at": data["interview_at"] if action == "accept" else None,
        }

    def draft(self):
        """The composer's draft for the current choices (valid form only)."""
        reply = Reply(**self.answer())
        return draft_for(self.invitation, reply, now=self.now), reply.channel

    def needs_date_confirmation(self):
        """An acceptance with an interview more than two years ahead, not yet confirmed: say so on the field."""
        interview_at = self.answer()["interview_at"]
        if interview_at is None or interview_at <= self.now + FAR_AHEAD or self.cleaned_data["confirm_date"]:
            return False
        self.far_date = True
        self.add_error("interview_at", f"{interview_at.astimezone(self.zone):%-d %B %Y} is more than two years "
                                       f"away. Check the year; if it is right, tick “{CONFIRM_DATE_LABEL}” and save again.")
        return True

    def save(self):
        """Keep the answer through the domain, unsent (the page asks whether it went out); None when
        invalid, when a date needs confirming or when a late cancellation does."""
        if not self.is_valid() or self.needs_date_confirmation():
            return None
        try:
            return respond(
                self.invitation, now=self.now, message=self.cleaned_data["message"],
                force=self.cleaned_data["force"], sent=False, **self.answer(),
            )
        except ValidationError as exc:
            self.add_domain_errors(exc)
        except LateCancellation as exc:
            self.late = exc
        return None


class SentForm(CheckedText, DomainErrorsMixin, forms.Form):
    """"I sent it" (no channel: the one it was written for) or "I answered it another way" (a channel)."""

    channel = forms.ChoiceField(choices=Channel.choices, required=False)

    def save(self, invitation, *, now):
        return self.save_through(lambda data: confirm_sent(invitation, now=now, channel=data["channel"]))


class AnsweredElsewhereForm(CheckedText, DomainErrorsMixin, forms.Form):
    """An invitation answered outside noghost (a call, the platform): which answer, and how."""

    action = forms.ChoiceField(choices=[("decline", "declined"), ("accept", "accepted")], label="I")
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.PHONE, label="by")

    def save(self, invitation, *, now):
        return self.save_through(lambda data: respond(invitation, now=now, **data))


class ContactForm(CheckedText, DomainErrorsMixin, forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.PHONE, label="How")
    note = forms.CharField(max_length=10_000, label="What was said", widget=forms.Textarea(attrs={"rows": 3}))

    def save(self, client, *, now):
        return self.save_through(lambda data: log_contact(client, now=now, **data))


class ReconnectForm(CheckedText, DomainErrorsMixin, forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, label="How you reconnected")
    note = forms.CharField(required=False, max_length=10_000, label="Note",
                           help_text="What they said: still open, something new, not now.",
                           widget=forms.Textarea(attrs={"rows": 3}))

    def save(self, followup, *, now):
        return self.save_through(lambda data: mark_reconnected(followup, now=now, **data))


class TellReferrerForm(ReconnectForm):
    """Told the referrer what happened: how, and what they said; closes the follow-up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].label = "How you told them"
        self.fields["note"].help_text = "What they said, if anything."

    def save(self, followup, *, now):
        return self.save_through(lambda data: finish(followup, now=now, **data))
