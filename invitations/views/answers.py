"""An invitation and its answer: the detail page and the respond page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from invitations.answers import composer
from invitations.answers.reply import Reply, draft_for, is_late_cancellation, kept_reply
from invitations.forms.answers import RespondForm
from invitations.models import Channel, Invitation, Status


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
        reply = kept_reply(invitation)
        if reply:
            subject = draft_for(invitation, reply, now=timezone.now()).subject
            mailto = composer.mailto_link(invitation.client.email, subject, kept)
    latest = invitation.answers.last()
    return render(request, "invitations/invitation_detail.html", {
        "invitation": invitation,
        # The status is dated by the answer that set it; responded_at is the first answer's time.
        "answered_at": latest.at if latest else None,
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
        return render_first_draft(request, invitation, now)

    form = RespondForm(request.POST, invitation=invitation, now=now)
    if "redraft" in request.POST or not form.is_valid():
        return render_respond(request, invitation, with_draft(form) if form.is_valid() else form)
    answer = form.save()
    if answer is None:
        return render_refused(request, invitation, form)
    messages.success(request, f"Saved: {answer.invitation.get_status_display().lower()}. "
                     + (f"{len(answer.opened)} follow-up(s) opened." if answer.opened else ""))
    if answer.warning:
        messages.warning(request, answer.warning)
    return redirect("invitation_detail", pk=pk)


def render_first_draft(request, invitation, now):
    """The page as first opened: decline is the form's first choice, so its draft fills the message."""
    form = RespondForm(invitation=invitation, now=now)
    draft = draft_for(invitation, Reply(action="decline"), now=now)
    form.initial["message"] = draft.text_for(form["channel"].value())
    return render_respond(request, invitation, form, draft)


def render_refused(request, invitation, form):
    """Refused (shown on its fields) or a late cancellation to confirm: show the draft it would keep."""
    if form.late and not form.cleaned_data["message"].strip():
        late, form = form.late, with_draft(form)
        form.late = late
    return render_respond(request, invitation, form)


def with_draft(form):
    """The same choices, with the message replaced by the composer's draft for them."""
    draft, channel = form.draft()
    data = form.data.copy()
    data["message"] = draft.text_for(channel)
    form = RespondForm(data, invitation=form.invitation, now=form.now)
    form.is_valid()
    return form


def render_respond(request, invitation, form, draft=None):
    """The respond page; `draft` (its subject and advice) is worked out from the choices when valid."""
    if draft is None and form.is_valid():
        draft, _ = form.draft()
    channel = form["channel"].value()
    return render(request, "invitations/respond.html", {
        "invitation": invitation, "form": form, "draft": draft,
        "warning": composer.platform_warning(form["message"].value() or "", channel),
        "late_soon": is_late_cancellation(invitation, now=form.now),
    })
