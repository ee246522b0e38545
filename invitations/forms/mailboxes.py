"""The mailbox settings' form, shared by /settings/mailbox/ and the admin: the app password write-only."""

from django import forms

from invitations.forms.text import CheckedText
from invitations.models import Mailbox
from invitations.models.mailboxes import folder_names
from invitations.vault import seal

MAX_FIRST_SYNC_DAYS = 3650


class MailboxForm(CheckedText, forms.ModelForm):
    """Where the mailbox is and how to sign in. The app password is never rendered back: blank on
    an edit keeps the stored one, and a new mailbox needs one."""

    app_password = forms.CharField(
        label="App password", max_length=500, required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = Mailbox
        fields = ["host", "port", "security", "username", "folders", "sent_folder", "first_sync_days"]
        labels = {"host": "IMAP server", "username": "User name", "folders": "Folders to watch",
                  "sent_folder": "Sent folder", "first_sync_days": "Days read on the first sync"}
        help_texts = {
            "host": "Such as imap.gmail.com or imap.fastmail.com.",
            "folders": "Comma-separated; INBOX is your inbox.",
            "sent_folder": "Where your sent mail is, read for your replies. Blank: the folder your server marks as Sent.",
            "first_sync_days": f"How far back the first sync reads (1 to {MAX_FIRST_SYNC_DAYS}); later syncs read only what is new.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_password = bool(self.instance.password)
        self.fields["app_password"].help_text = (
            "Set, and never shown. Leave blank to keep it, or type a new one." if self.has_password else
            "An app password made for noghost in your mail account's security settings, not your usual password."
        )
        self.fields["port"].widget.attrs.update(min=1, max=65535)

    def clean_host(self):
        host = self.cleaned_data["host"].strip().lower().rstrip(".")
        if not host or any(char.isspace() or char in "/:@" for char in host):
            raise forms.ValidationError("Give the server's name only, such as imap.example.com (no scheme, port or path).")
        return host

    def clean_port(self):
        port = self.cleaned_data["port"]
        if not 1 <= port <= 65535:
            raise forms.ValidationError("A port is a number from 1 to 65535 (993 for TLS, 143 for STARTTLS).")
        return port

    def clean_username(self):
        return self.cleaned_data["username"].strip()

    def clean_folders(self):
        names = folder_names(self.cleaned_data["folders"])
        if not names:
            raise forms.ValidationError("Name at least one folder to watch, such as INBOX.")
        return ", ".join(dict.fromkeys(names))

    def clean_sent_folder(self):
        return self.cleaned_data["sent_folder"].strip()

    def clean_first_sync_days(self):
        days = self.cleaned_data["first_sync_days"]
        if not 1 <= days <= MAX_FIRST_SYNC_DAYS:
            raise forms.ValidationError(f"Read between 1 and {MAX_FIRST_SYNC_DAYS} days on the first sync.")
        return days

    def clean_app_password(self):
        password = self.cleaned_data["app_password"]
        if not password and not self.has_password:
            raise forms.ValidationError("Give the app password noghost signs in with.")
        return password

    def for_test(self):
        """An unsaved Mailbox with the settings typed in and the password typed (or the stored one)."""
        mailbox = self.save(commit=False)
        if self.cleaned_data["app_password"]:
            mailbox.password = seal(self.cleaned_data["app_password"])
        return mailbox
