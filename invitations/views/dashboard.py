"""`/`: what needs the user now."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from invitations.models import Invitation, Status


@login_required
def dashboard(request):
    now = timezone.now()
    open_invitations = (
        Invitation.objects.filter(owner=request.user, status=Status.OPEN)
        .select_related("client")
        .order_by("reply_by")
    )
    recent = (
        Invitation.objects.filter(owner=request.user)
        .exclude(status=Status.OPEN)
        .select_related("client")
        .order_by("-responded_at", "-received_at")[:10]
    )
    return render(
        request, "invitations/dashboard.html",
        {"now": now, "open_invitations": open_invitations, "recent": recent},
    )
