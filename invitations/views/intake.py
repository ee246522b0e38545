"""Logging an invitation by hand: the quick-add page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from invitations.forms.intake import QuickAddForm


@login_required
def quick_add(request):
    form = QuickAddForm(request.POST or None, owner=request.user, prefill=request.GET)
    if request.method == "POST":
        invitation = form.save()
        if invitation is not None:
            messages.success(
                request,
                f"Logged {invitation}. Reply by {timezone.localtime(invitation.reply_by):%a %d %b, %H:%M}.",
            )
            return redirect("dashboard")
    return render(request, "invitations/quick_add.html", {"form": form})
