"""An invitation and its answer: the detail page and the respond page.

Saving on the respond page keeps the answer unsent (answers/respond.py); the detail page then
shows it with Copy and Open in e-mail and asks whether it went out (views/sending.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from invitations.answers import composer
from invitations.answers.reply import Reply, draft_for, is_late_cancellation, kept_reply
from invitations.answers.respond import text_warnings
from invitations.forms.answers import ACTION_OF, AnsweredElsewhereForm, RespondForm
from invitations.models import Channel, Invitation, Status, UnsentAnswer

# How each channel's "I sent it" reads: a call is made, a meeting held, a message sent.
SENT_LABELS = {Channel.EMAIL: "I sent it", Channel.PLATFORM: "I sent it", Channel.PHONE: "I called them",
               Channel.IN_PERSON: "I told them in person"}


def owned_invitation(request, pk):
    return get_object_or_404(
        Invitation.objects.select_related("client", "referred_by", "owner__profile", "unsent"), pk=pk,
        owner=request.user,
    )


def unsent_of(invitation):
    """The answer saved on the respond page and not sent yet, or None."""
    try:
        return invitation.unsent
    except UnsentAnswer.DoesNotExist:
        return None


def mailto_for(invitation, reply, text, channel, *, now):
    """The "Open in your e-mail program" link for a text going by e-mail to a client with an address."""
    if not (text and reply and invitation.client.email and channel == Channel.EMAIL):
        return ""
    return composer.mailto_link(invitation.client.email, draft_for(invitation, reply, now=now).subject, text)


def unsent_reply(unsent):
    """The Reply an unsent answer was saved from."""
    return Reply(action=ACTION_OF[unsent.status], reason=unsent.decline_reason, busy_until=unsent.busy_until,
                 channel=unsent.channel, suggest=unsent.suggest, interview_at=unsent.interview_at)


def unsent_context(invitation, unsent, *, now):
    """What the "not sent yet" card shows: the text, its links and warnings, and the ways to confirm it."""
    reply = unsent_reply(unsent)
    return {
        "unsent": unsent,
        "unsent_mailto": mailto_for(invitation, reply, unsent.message, unsent.channel, now=now),
        "unsent_warnings": text_warnings(invitation, reply, unsent.message, unsent.channel),
        "sent_label": SENT_LABELS[unsent.channel],
        "other_channels": [(value, label) for value, label in Channel.choices if value != unsent.channel],
    }


@login_required
def invitation_detail(request, pk):
    invitation = owned_invitation(request, pk)
    now = timezone.now()
    kept = invitation.response_message
    latest = invitation.answers.last()
    unsent = unsent_of(invitation)
    return render(request, "invitations/invitation_detail.html", {
        "invitation": invitation,
        # The status is dated by the answer that set it; responded_at is the first answer's time.
        "answered_at": latest.at if latest else None,
        "followups": invitation.followups.order_by("done_at", "due_at"),
        "mailto": mailto_for(invitation, kept_reply(invitation), kept, invitation.response_channel, now=now),
        "warning": composer.platform_warning(kept, invitation.response_channel),
        "elsewhere": AnsweredElsewhereForm(auto_id=False) if invitation.status == Status.OPEN else None,
        **(unsent_context(invitation, unsent, now=now) if unsent else {}),
    })


@login_required
def respond(request, pk):
    """Choose the answer, see and edit the draft, keep it unsent. "Draft message" re-drafts without saving."""
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
    if answer.sent:  # a withdrawal: recorded at once, nobody to send it to
        messages.success(request, f"Saved: {answer.invitation.get_status_display().lower()}.")
    else:
        messages.success(request, "Saved, not sent yet: send it yourself, then tell noghost below.")
    for warning in answer.warnings:
        messages.warning(request, warning)
    return redirect("invitation_detail", pk=pk)


def render_first_draft(request, invitation, now):
    """The page as first opened: the answer saved before, if any, else a decline (the form's first
    choice) with its draft in the message."""
    unsent = unsent_of(invitation)
    if unsent is not None:
        form = RespondForm.from_unsent(unsent, invitation=invitation, now=now)
        return render_respond(request, invitation, form, draft_for(invitation, unsent_reply(unsent), now=now))
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
    """The respond page; `draft` (its subject and advice) is worked out from the choices when valid.

    The message box carries the text noghost drafted for the choices shown (data-drafted), so the
    page's script knows whether the user has edited it (static/js/respond.js)."""
    if draft is None and form.is_valid():
        draft, _ = form.draft()
    channel = form["channel"].value()
    if draft is not None:
        form.fields["message"].widget.attrs["data-drafted"] = draft.text_for(channel)
    return render(request, "invitations/respond.html", {
        "invitation": invitation, "form": form, "draft": draft, "unsent": unsent_of(invitation),
        "warning": composer.platform_warning(form["message"].value() or "", channel),
        "late_soon": is_late_cancellation(invitation, now=form.now),
    })
