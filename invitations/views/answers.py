"""An invitation and its answer: the detail page and the respond page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from invitations import composer
from invitations.answer_forms import RespondForm
from invitations.models import Channel, Invitation, Status
from invitations.responses import draft_for, is_late_cancellation


def owned_invitation(request, pk):
    return get_object_or_404(
        Invitation.objects.select_related("client", "referred_by", "owner__profile"), pk=pk, owner=request.user,
    )


@login_required
def invitation_detail(request, pk):
    invitation = owned_invitation(request, pk)
    kept = invitation.response_message
    mailto = ""
    if kept and invitation.client.email and invitation.response_channel == Channel.EMAIL:
        action = {Status.ACCEPTED: "accept", Status.DECLINED: "decline"}.get(invitation.status)
        if action:
            subject = draft_for(
                invitation, now=timezone.now(), action=action, reason=invitation.decline_reason,
                busy_until=invitation.busy_until,
            ).subject
            mailto = composer.mailto_link(invitation.client.email, subject, kept)
    return render(request, "invitations/invitation_detail.html", {
        "invitation": invitation,
        "followups": invitation.followups.order_by("done_at", "due_at"),
        "mailto": mailto,
        "warning": composer.platform_warning(kept, invitation.response_channel),
    })


@login_required
def respond(request, pk):
    """Choose the answer, see and edit the draft, keep it. "Draft message" re-drafts without saving."""
    invitation = owned_invitation(request, pk)
    now = timezone.now()
    if invitation.status == Status.WITHDRAWN:
        messages.info(request, "The client withdrew this invitation; there is nothing left to answer.")
        return redirect("invitation_detail", pk=pk)
    if request.method != "POST":
        form = RespondForm(invitation=invitation, now=now)
        draft, channel = draft_for(invitation, now=now, action="decline"), form["channel"].value()
        form.initial["message"] = draft.text_for(channel)
        return render_respond(request, invitation, form, draft, channel)

    form = RespondForm(request.POST, invitation=invitation, now=now)
    if "redraft" in request.POST or not form.is_valid():
        draft = channel = None
        if form.is_valid():
            draft, channel = form.draft()
            data = request.POST.copy()
            data["message"] = draft.text_for(channel)
            form = RespondForm(data, invitation=invitation, now=now)
        return render_respond(request, invitation, form, draft, channel)
    answer = form.save()
    if answer is None:
        draft, channel = form.draft() if form.is_valid() else (None, None)
        return render_respond(request, invitation, form, draft, channel)
    messages.success(request, f"Saved: {answer.invitation.get_status_display().lower()}. "
                     + (f"{len(answer.opened)} follow-up(s) opened." if answer.opened else ""))
    if answer.warning:
        messages.warning(request, answer.warning)
    return redirect("invitation_detail", pk=pk)


def render_respond(request, invitation, form, draft, channel):
    message = form["message"].value() or ""
    return render(request, "invitations/respond.html", {
        "invitation": invitation, "form": form, "draft": draft,
        "warning": composer.platform_warning(message, channel or form["channel"].value()),
        "late_soon": is_late_cancellation(invitation, now=form.now),
    })
