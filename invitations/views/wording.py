"""`/settings/messages/`: the user's own wording of every draft, per language, with a live preview.

The preview drafts one message (a decline, an acceptance, a reconnect, a word to a referrer) for
a sample invitation (never saved) with the texts in the form, so the user sees their words in
place before keeping them; the page's script asks `wording_preview` for it as they type, for
the message of the part being typed (static/js/wording.js), the same text a "Show" posts for.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from invitations.answers import composer
from invitations.answers.coherence import busy_period_warning
from invitations.answers.reply import Reply
from invitations.answers.wording import PLACEHOLDERS
from invitations.clock import local_date
from invitations.forms.wording import WordingForm, reset_part
from invitations.models import (
    Channel,
    Client,
    DeclineReason,
    FollowUp,
    FollowUpKind,
    Invitation,
    Language,
    Platform,
    Status,
)

SAMPLE_PERIOD = dt.timedelta(days=14)
# The samples the preview can show; an acceptance with an interview time shows the "yes" sentence.
PREVIEWS = {"decline": "Decline", "accept": "Acceptance of an interview time",
            "accept_ask": "Acceptance asking for a time", "reconnect": "Reconnect after a busy period",
            "referrer": "Word to a referrer"}


def chosen_language(request):
    """The language the page edits: ?language=, else the user's own."""
    asked = request.POST.get("language") or request.GET.get("language")
    return asked if asked in Language.values else request.user.profile.language


def chosen_reason(request):
    asked = request.POST.get("preview_reason") or request.GET.get("preview_reason")
    return asked if asked in DeclineReason.values else DeclineReason.BUSY


def chosen_preview(request):
    asked = request.POST.get("preview_kind") or request.GET.get("preview_kind")
    return asked if asked in PREVIEWS else "decline"


def sample_preview(user, language, kind, reason, wordings, *, now):
    """Message `kind` for a sample invitation (nothing saved) in `language` with `wordings`, and its warnings:
    a platform message's contact details, and a decline's busy period left out (rule 4)."""
    zone = user.profile.zone
    invitation = Invitation(owner=user, client=Client(owner=user, name="Maya Lindqvist", language=language),
                            title="Django API", platform=Platform.UPWORK, received_at=now)
    today = local_date(now, zone)
    interview_at = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(10), tzinfo=zone)
    warnings = []
    if kind == "decline":
        reply = Reply(action="decline", reason=reason, busy_until=today + SAMPLE_PERIOD)
        draft = composer.compose_decline(invitation, reason=reason, busy_until=reply.busy_until, suggest="Sam Rivera",
                                         zone=zone, wordings=wordings)
        warnings = [busy_period_warning(reply, draft.email, language), busy_period_warning(reply, draft.platform, language)]
    elif kind.startswith("accept"):
        draft = composer.compose_accept(invitation, interview_at=None if kind == "accept_ask" else interview_at,
                                        zone=zone, wordings=wordings)
    elif kind == "reconnect":
        invitation.busy_until = today - dt.timedelta(days=1)
        followup = FollowUp(owner=user, kind=FollowUpKind.RECONNECT, invitation=invitation, client=invitation.client,
                            due_at=now)
        draft = composer.compose_reconnect(followup, zone=zone, today=today, wordings=wordings)
    else:
        invitation.referred_by = Client(owner=user, name="Jo Referrer", language=language)
        invitation.status, invitation.interview_at = Status.ACCEPTED, interview_at
        draft = composer.compose_referrer_update(invitation, zone=zone, wordings=wordings)
    warnings.insert(0, composer.platform_warning(draft.platform, Channel.PLATFORM))
    return {"subject": draft.subject, "email": draft.email, "platform": draft.platform,
            "warnings": list(dict.fromkeys(line for line in warnings if line))}


@login_required
def message_settings(request):
    """Show, save, or reset one part of the user's wording for a language; a bad text saves nothing."""
    language, reason = chosen_language(request), chosen_reason(request)
    here = f"{reverse('message_settings')}?language={language}&preview_kind={chosen_preview(request)}"
    if request.method == "POST" and request.POST.get("reset"):
        if reset_part(request.user, language, request.POST["reset"]):
            messages.success(request, "Back to noghost's wording for that part.")
        return redirect(here)
    form = WordingForm(request.POST or None, owner=request.user, language=language)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your wording is saved.")
        return redirect(here)
    return render(request, "invitations/message_settings.html", page_context(request, form, reason),
                  status=400 if form.errors else 200)


def page_context(request, form, reason):
    """The page around `form`: the languages, the placeholders, and the preview of the saved wording."""
    language = form.language
    return {
        "form": form, "language": language, "languages": Language.choices, "reason": reason,
        "reasons": DeclineReason.choices, "placeholders": PLACEHOLDERS, "kind": chosen_preview(request),
        "previews": PREVIEWS,
        "preview": sample_preview(request.user, language, chosen_preview(request), reason, list(form.rows.values()),
                                  now=timezone.now()),
        "saved": {name for name in form.fields if form.initial.get(name)},
    }


@require_POST
@login_required
def wording_preview(request):
    """The sample message with the texts posted, as JSON (the page's live preview); errors by field."""
    language, reason = chosen_language(request), chosen_reason(request)
    form = WordingForm(request.POST, owner=request.user, language=language)
    if not form.is_valid():
        return JsonResponse({"errors": {name: [str(e) for e in errs] for name, errs in form.errors.items()}},
                            status=400)
    return JsonResponse(sample_preview(request.user, language, chosen_preview(request), reason, form.wordings(),
                                       now=timezone.now()))
