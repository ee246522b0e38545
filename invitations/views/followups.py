"""Snooze and done for a follow-up: small POST forms on the dashboard, no JavaScript needed.

Each says what it did with an Undo: a signed token in the message (the page shows its form), or
in the JSON the dashboard's script asks for (static/js/dashboard.js), valid for UNDO_FOR.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from invitations.clock import format_local
from invitations.followups.lifecycle import snooze, undo_done, undo_snooze
from invitations.followups.snoozes import SNOOZE_CHOICES, snooze_until
from invitations.forms.followups import DoneForm
from invitations.models import FollowUp
from invitations.templatetags.ghost_guard import UNDO_SALT, UNDO_TAG

UNDO_FOR = dt.timedelta(minutes=10)  # the page hides the button after a few seconds; a slow reader still gets it


def back(request):
    """Where the form came from (its `next` field, if it is ours), else the dashboard."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("dashboard")


def own_followup(request, pk):
    """The user's own follow-up, or 404: someone else's is not even acknowledged to exist."""
    return get_object_or_404(FollowUp.objects.select_related("invitation__client", "client"), pk=pk, owner=request.user)


def describe(followup):
    subject = followup.invitation or followup.client
    return f"“{followup.get_kind_display()}” ({subject})"


def stamp(moment):
    return moment.isoformat() if moment else None


def say(request, text, *, level=messages.SUCCESS, undo=None):
    """The message for the next page, or for the dashboard's script as JSON, with its Undo if any."""
    token = signing.dumps(undo, salt=UNDO_SALT) if undo else ""
    if request.headers.get("X-Requested-With") == "fetch":
        # Anything but success: the script posts the form itself, and the full page says what went wrong.
        return JsonResponse({"message": text, "undo": token,
                             "undo_url": reverse("followup_undo", args=[undo["id"]]) if undo else ""},
                            status=200 if level == messages.SUCCESS else 409)
    messages.add_message(request, level, text, extra_tags=f"{UNDO_TAG} {token}" if token else "")
    return back(request)


@login_required
@require_POST
def followup_snooze(request, pk):
    followup = own_followup(request, pk)
    now = timezone.now()
    choice = request.POST.get("until", "")
    if choice not in SNOOZE_CHOICES:
        return say(request, f"Snooze: choose one of {', '.join(SNOOZE_CHOICES.values())}.", level=messages.ERROR)
    profile = request.user.profile
    until = snooze_until(choice, now=now, profile=profile)
    previous = followup.snoozed_until
    if not snooze(followup, until=until, now=now):
        return say(request, f"{describe(followup)} is already done.", level=messages.WARNING)
    return say(request, f"Snoozed {describe(followup)} until {format_local(until, profile.zone)}.",
                  undo={"id": followup.pk, "what": "snooze", "until": stamp(until), "previous": stamp(previous)})


@login_required
@require_POST
def followup_done(request, pk):
    followup = own_followup(request, pk)
    now = timezone.now()
    form = DoneForm(request.POST)
    done = form.save(followup, now=now)
    if done is None:
        return say(request, f"Not done: {form.problems()}", level=messages.ERROR)
    if not done:
        return say(request, f"{describe(followup)} was already done.", level=messages.WARNING)
    return say(request, f"Done: {describe(followup)}.", undo={"id": followup.pk, "what": "done", "at": stamp(now)})


@login_required
@require_POST
def followup_undo(request, pk):
    """Take back a Done or a Snooze just made, if nothing changed the follow-up since."""
    followup = own_followup(request, pk)
    try:
        undo = signing.loads(request.POST.get("token", ""), salt=UNDO_SALT, max_age=UNDO_FOR)
    except signing.BadSignature:
        undo = None
    if not undo or undo.get("id") != followup.pk:
        return say(request, "That can no longer be undone.", level=messages.WARNING)
    if undo["what"] == "done":
        undone = undo_done(followup, at=parse_datetime(undo["at"]))
    else:
        previous = undo["previous"] and parse_datetime(undo["previous"])
        undone = undo_snooze(followup, until=parse_datetime(undo["until"]), previous=previous or None)
    if not undone:
        return say(request, f"{describe(followup)} changed since; nothing was undone.", level=messages.WARNING)
    return say(request, f"Undone: {describe(followup)} is back on your list.")
