"""`/settings/mailbox/`: the mailbox noghost reads, "Test connection", and how its sync stands.

The test connects with what is typed in (the stored password when none is), saving nothing, and
says which step failed in the words the sync would record. The app password is never rendered.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from invitations.forms.mailboxes import MailboxForm
from invitations.mailboxes.connection import test_connection
from invitations.mailboxes.setup import save_settings
from invitations.models import Mailbox, MailboxFolder


def sync_progress(mailbox):
    """("1,200", "3,400", 35) while a sync is reading more than it has read so far, else None."""
    if mailbox is None or not mailbox.progress_total or mailbox.progress_done >= mailbox.progress_total:
        return None
    done, total = mailbox.progress_done, mailbox.progress_total
    return f"{done:,}", f"{total:,}", done * 100 // total


@login_required
def mailbox_settings(request):
    """The form (Save, or Test connection without saving) and the sync's state, progress and folders."""
    mailbox = Mailbox.objects.filter(owner=request.user).first()
    form = MailboxForm(request.POST or None, instance=mailbox or Mailbox(owner=request.user))
    tested = None
    if request.method == "POST" and form.is_valid():
        if "test" in request.POST:
            tested = test_connection(form.for_test()) or ""
        else:
            save_settings(form.save(commit=False), password=form.cleaned_data["app_password"],
                          changed=form.changed_data)
            messages.success(request, "Mailbox saved. noghost reads it within 5 minutes."
                             if mailbox is None else "Mailbox settings saved.")
            return redirect("mailbox_settings")
    context = {
        "form": form, "mailbox": mailbox, "tested": tested, "progress": sync_progress(mailbox),
        "folders": MailboxFolder.objects.filter(mailbox=mailbox).order_by("sent", "name") if mailbox else [],
    }
    return render(request, "invitations/mailbox_settings.html", context,
                  status=400 if form.errors else 200)


@login_required
@require_POST
def mailbox_remove(request):
    """Forget the mailbox and where its sync stood; the mail already captured stays."""
    removed, _ = Mailbox.objects.filter(owner=request.user).delete()
    if removed:
        messages.success(request, "Mailbox removed: noghost no longer reads it. Mail captured from it stays.")
    return redirect("mailbox_settings")
