"""Mailboxes in the admin: the settings as on /settings/mailbox/ (the password write-only), the
sync's state shown and never edited, and each folder's watermark read-only."""

from django.contrib import admin

from invitations.admin.scoping import OwnedAdmin
from invitations.admin.system import WrittenBySystem
from invitations.forms.mailboxes import MailboxForm
from invitations.mailboxes.setup import save_settings
from invitations.models import Mailbox, MailboxFolder

SYNC_STATE = ["state", "last_error", "failing_since", "failures", "retry_after", "last_synced_at",
              "progress_done", "progress_total"]


@admin.register(Mailbox)
class MailboxAdmin(OwnedAdmin):
    """Added on the settings page (one per user); here it is looked up, corrected or removed."""

    form = MailboxForm
    list_display = ["username", "host", "state", "last_synced_at", "failing_since", "owner"]
    list_filter = ["state"]
    search_fields = ["username", "host"]
    exclude = ["owner", "password", "claim_token", "claimed_at"]
    readonly_fields = SYNC_STATE

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        save_settings(obj, password=form.cleaned_data["app_password"], changed=form.changed_data)


@admin.register(MailboxFolder)
class MailboxFolderAdmin(WrittenBySystem, OwnedAdmin):
    """Where each folder's sync stands: written by the sync alone, so shown and never changed."""

    list_display = ["name", "mailbox", "sent", "uidvalidity", "last_uid"]
    readonly_fields = ["mailbox", "name", "sent", "uidvalidity", "last_uid", "skipped"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
