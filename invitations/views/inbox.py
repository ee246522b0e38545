"""The review inbox (`/inbox/`), one message's page, its raw download, and "add from an e-mail"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from invitations.forms.inbox import AddFromEmailForm
from invitations.intake import inbox as inboxes
from invitations.intake.capture import capture, retry
from invitations.intake.outcomes import describe
from invitations.models import InboundMessage


def owned(request, pk):
    return get_object_or_404(InboundMessage.objects.defer("raw").select_related("invitation__client"),
                             pk=pk, owner=request.user)


@login_required
def inbox(request):
    waiting = list(inboxes.waiting(request.user)[:inboxes.LISTED + 1])
    return render(request, "invitations/inbox.html", {
        "waiting": waiting[:inboxes.LISTED], "more": len(waiting) > inboxes.LISTED,
        "handled": inboxes.handled_lately(request.user),
    })


@login_required
def message_detail(request, pk):
    return render(request, "invitations/inbound_message.html", {"message": owned(request, pk)})


@login_required
def message_raw(request, pk):
    """The message exactly as it came, as a download: never shown as a page (its HTML never runs here)."""
    message = get_object_or_404(InboundMessage, pk=pk, owner=request.user)
    response = HttpResponse(bytes(message.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="noghost-message-{message.pk}.eml"'
    return response


@require_POST
@login_required
def message_dismiss(request, pk):
    message = owned(request, pk)
    if inboxes.dismiss(message, now=timezone.now()):
        messages.success(request, f"Filed \u201c{message.subject or 'the message'}\u201d as not an invitation.")
    return redirect("inbox")


@require_POST
@login_required
def message_retry(request, pk):
    message = retry(owned(request, pk), now=timezone.now())
    messages.success(request, f"Read it again: {describe(message, request.user.profile.zone)}.")
    return redirect("inbound_message", pk=message.pk)


@login_required
def add_from_email(request):
    posted = request.method == "POST"
    form = AddFromEmailForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        message = capture(form.cleaned_data["raw"], owner=request.user, now=timezone.now(), via="upload")
        line = describe(message, request.user.profile.zone)
        messages.success(request, f"{line[:1].upper()}{line[1:]}.")
        return redirect("inbound_message", pk=message.pk)
    return render(request, "invitations/add_from_email.html", {"form": form}, status=400 if form.errors else 200)
