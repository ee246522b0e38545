"""The first-run form on `/`: who the user is and when noghost should reach them, in one step."""

from django import forms

from invitations.forms.settings import SettingsForm


class WelcomeForm(SettingsForm):
    """The settings a new user needs first, with their name (it signs drafted messages) and e-mail
    (nudges and the digest go there). The time zone is guessed in the browser (static/js/welcome.js)."""

    name = forms.CharField(label="Your name", max_length=150, required=False,
                           help_text="Signs the messages noghost drafts for you.")
    email = forms.EmailField(label="Your e-mail", required=False, help_text="Nudges and the daily digest go here.")

    class Meta(SettingsForm.Meta):
        fields = ["timezone", "reply_window_hours", "digest_hour"]

    field_order = ["name", "email", "timezone", "reply_window_hours", "digest_hour"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, instance=user.profile, **kwargs)
        self.user = user
        self.fields["name"].initial = user.profile.signature or user.get_full_name()
        self.fields["email"].initial = user.email
        self.fields["timezone"].widget.attrs["data-guess-zone"] = ""

    def save(self):
        profile = super().save(commit=False)
        profile.signature = self.cleaned_data["name"].strip()
        profile.save()
        self.user.first_name = profile.signature[:150]
        self.user.email = self.cleaned_data["email"] or self.user.email
        self.user.save(update_fields=["first_name", "email"])
        return profile
