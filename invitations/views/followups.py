"""Snooze and done for a follow-up: small POST forms on the dashboard, no JavaScript needed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from invitations.clock import format_local
from invitations.followups.lifecycle import snooze
from invitations.followups.snoozes import SNOOZE_CHOICES, snooze_until
from invitations.forms.followups import DoneForm
from invitations.models import FollowUp


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


@login_required
@require_POST
def followup_snooze(request, pk):
    followup = own_followup(request, pk)
    now = timezone.now()
    choice = request.POST.get("until", "")
    if choice not in SNOOZE_CHOICES:
        messages.error(request, f"Snooze: choose one of {', '.join(SNOOZE_CHOICES.values())}.")
    else:
        profile = request.user.profile
        until = snooze_until(choice, now=now, profile=profile)
        if snooze(followup, until=until, now=now):
            messages.success(request, f"Snoozed {describe(followup)} until {format_local(until, profile.zone)}.")
        else:
            messages.warning(request, f"{describe(followup)} is already done.")
    return back(request)


@login_required
@require_POST
def followup_done(request, pk):
    followup = own_followup(request, pk)
    form = DoneForm(request.POST)
    done = form.save(followup, now=timezone.now())
    if done is None:
        messages.error(request, f"Not done: {form.problems()}")
    elif done:
        messages.success(request, f"Done: {describe(followup)}.")
    else:
        messages.warning(request, f"{describe(followup)} was already done.")
    return back(request)
