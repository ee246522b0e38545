"""The notification settings' forms: a new target (its URL checked by apprise), the usual busy period."""

from django import forms

from invitations.answers.periods import busy_until_after
from invitations.forms.text import CheckedText
from invitations.mail.notify import BadTarget, service_of
from invitations.models import Profile


class TargetForm(CheckedText, forms.Form):
    label = forms.CharField(max_length=60, help_text="What you call it, such as “Phone” or “Team Slack”.")
    url = forms.CharField(
        label="Apprise URL", max_length=2000, widget=forms.PasswordInput(render_value=False),
        help_text="Such as tgram://bot-token/chat-id, ntfy://my-topic or discord://webhook-id/webhook-token. "
                  "Kept encrypted and never shown again: only its service and your label are.",
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            self.service = service_of(url)
        except BadTarget as error:
            raise forms.ValidationError(str(error)) from None
        return url


class BusyPeriodForm(CheckedText, forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["busy_period"]
        labels = {"busy_period": "Your usual busy period"}

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_busy_period(self):
        period = " ".join(self.cleaned_data["busy_period"].split())
        try:
            busy_until_after(period, today=self.today)
        except ValueError as error:
            raise forms.ValidationError(f"Your usual busy period {error}.") from None
        return period
