"""`/settings/messages/`: the user's own wording of a decline, per language, with a live preview.

The preview drafts a decline of a sample invitation (never saved) with the texts in the form,
so the user sees their words in place before keeping them; the page's script asks
`wording_preview` for it as they type (static/js/wording.js), the same text a "Preview" posts for.
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
from invitations.models import Channel, Client, DeclineReason, Invitation, Language, Platform

SAMPLE_PERIOD = dt.timedelta(days=14)


def chosen_language(request):
    """The language the page edits: ?language=, else the user's own."""
    asked = request.POST.get("language") or request.GET.get("language")
    return asked if asked in Language.values else request.user.profile.language


def chosen_reason(request):
    asked = request.POST.get("preview_reason") or request.GET.get("preview_reason")
    return asked if asked in DeclineReason.values else DeclineReason.BUSY


def sample_preview(user, language, reason, wordings, *, now):
    """A decline of a sample invitation (nothing saved) in `language` with `wordings`, and its warnings."""
    client = Client(owner=user, name="Maya Lindqvist", language=language)
    invitation = Invitation(owner=user, client=client, title="Django API", platform=Platform.UPWORK,
                            received_at=now)
    busy_until = local_date(now, user.profile.zone) + SAMPLE_PERIOD
    draft = composer.compose_decline(invitation, reason=reason, busy_until=busy_until, suggest="Sam Rivera",
                                     zone=user.profile.zone, wordings=wordings)
    reply = Reply(action="decline", reason=reason, busy_until=busy_until)
    warnings = [composer.platform_warning(draft.platform, Channel.PLATFORM),
                busy_period_warning(reply, draft.email, language), busy_period_warning(reply, draft.platform, language)]
    return {"subject": draft.subject, "email": draft.email, "platform": draft.platform,
            "warnings": list(dict.fromkeys(line for line in warnings if line))}


@login_required
def message_settings(request):
    """Show, save, or reset one part of the user's wording for a language; a bad text saves nothing."""
    language, reason = chosen_language(request), chosen_reason(request)
    here = f"{reverse('message_settings')}?language={language}"
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
        "reasons": DeclineReason.choices, "placeholders": PLACEHOLDERS,
        "preview": sample_preview(request.user, language, reason, list(form.rows.values()), now=timezone.now()),
        "saved": {name for name in form.fields if form.initial.get(name)},
    }


@require_POST
@login_required
def wording_preview(request):
    """The sample decline with the texts posted, as JSON (the page's live preview); errors by field."""
    language, reason = chosen_language(request), chosen_reason(request)
    form = WordingForm(request.POST, owner=request.user, language=language)
    if not form.is_valid():
        return JsonResponse({"errors": {name: [str(e) for e in errs] for name, errs in form.errors.items()}},
                            status=400)
    return JsonResponse(sample_preview(request.user, language, reason, form.wordings(), now=timezone.now()))
