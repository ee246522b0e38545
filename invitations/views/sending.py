"""After the answer is written: "I sent it", "I answered it another way", and the live draft.

Each is a small POST (or, for the draft, a GET) on an invitation of the user's own; they work
without JavaScript, and the respond page's script asks `respond_draft` for the text its
choices make (static/js/respond.js).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from invitations.answers import composer
from invitations.forms.answers import AnsweredElsewhereForm, RespondForm, SentForm
from invitations.views.answers import owned_invitation
from invitations.views.followups import back


def recorded(request, answer):
    """"Recorded: declined by e-mail. 1 follow-up opened." and the text's warnings, as messages."""
    invitation = answer.invitation
    opened = len(answer.opened)
    messages.success(request, f"Recorded: {invitation.get_status_display().lower()} "
                     f"({invitation.get_response_channel_display().lower()})."
                     + (f" {opened} follow-up{pluralize(opened)} opened." if opened else ""))
    for warning in answer.warnings:
        messages.warning(request, warning)


def refused(request, form):
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, problem)


@login_required
@require_POST
def answer_sent(request, pk):
    """The saved answer went out (or, with a channel, was given another way): record it."""
    invitation = owned_invitation(request, pk)
    form = SentForm(request.POST)
    answer = form.save(invitation, now=timezone.now())
    if answer is None:
        refused(request, form)
    else:
        recorded(request, answer)
    return redirect("invitation_detail", pk=pk)


@login_required
@require_POST
def answered_elsewhere(request, pk):
    """Answered outside noghost, with no text saved here: which answer, and how (the dashboard's
    stand-in for "Done" on a reply, which would hide the invitation without answering it)."""
    invitation = owned_invitation(request, pk)
    form = AnsweredElsewhereForm(request.POST)
    answer = form.save(invitation, now=timezone.now())
    if answer is None:
        refused(request, form)
        return redirect("invitation_detail", pk=pk)
    recorded(request, answer)
    return back(request) if request.POST.get("next") else redirect("invitation_detail", pk=pk)


@login_required
@require_GET
def respond_draft(request, pk):
    """The composer's draft for the choices in the query string, as JSON: what the page shows live."""
    invitation = owned_invitation(request, pk)
    form = RespondForm(request.GET, invitation=invitation, now=timezone.now())
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    draft, channel = form.draft()
    return JsonResponse({
        "text": draft.text_for(channel), "subject": draft.subject if channel == "email" else "",
        "advice": list(draft.advice), "warning": composer.platform_warning(draft.text_for(channel), channel),
    })
