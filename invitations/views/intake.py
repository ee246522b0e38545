"""Logging an invitation by hand: the quick-add page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from invitations.forms.intake import QuickAddForm
from invitations.models import InboundMessage


@login_required
def quick_add(request):
    """Log an invitation; `?message=ID` (the inbox's "Log it") starts from what that e-mail held."""
    message = None
    if request.GET.get("message", "").isdigit():
        message = get_object_or_404(InboundMessage.objects.defer("raw"), pk=request.GET["message"], owner=request.user)
    form = QuickAddForm(request.POST or None, owner=request.user, message=message, query=request.GET)
    if request.method == "POST":
        invitation = form.save()
        if invitation is not None:
            messages.success(
                request,
                f"Logged {invitation}. Reply by {timezone.localtime(invitation.reply_by):%a %d %b, %H:%M}.",
            )
            return redirect("dashboard")
    return render(request, "invitations/quick_add.html", {"form": form, "message": message})
