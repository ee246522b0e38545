"""`/settings/notifications/`: where reminders go besides e-mail, and a test for each target.

A test goes through the outbox like a reminder (rule 15), and is sent at once in the request,
so what the page reports is what a nudge to that target would meet: the same handoff, deadline
and outcome, apprise's own words recorded on the row.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from invitations.clock import local_date
from invitations.forms.notifications import BusyPeriodForm, TargetForm
from invitations.mail import outbox
from invitations.mail.notify import add_target, queue_test_notice
from invitations.models import NotificationTarget, OutboundEmail

State = OutboundEmail.State


def today_of(user):
    try:
        return local_date(timezone.now(), user.profile.zone)
    except ValueError:  # a zone this system no longer knows: the settings page says so
        return timezone.now().date()


@login_required
def notification_settings(request):
    """The user's targets with their tests, a form to add one, and the usual busy period."""
    adding = TargetForm(request.POST if "url" in request.POST else None)
    period = BusyPeriodForm(request.POST if "busy_period" in request.POST else None,
                            instance=request.user.profile, today=today_of(request.user))
    if request.method == "POST":
        if adding.is_bound and adding.is_valid():
            target = add_target(request.user, label=adding.cleaned_data["label"], url=adding.cleaned_data["url"],
                                now=timezone.now())
            messages.success(request, f"Added {target}. Send it a test to see that it arrives.")
            return redirect("notification_settings")
        if period.is_bound and period.is_valid():
            period.save()
            messages.success(request, "Your usual busy period is saved.")
            return redirect("notification_settings")
    targets = NotificationTarget.objects.filter(owner=request.user)
    failed = adding.errors or period.errors
    return render(request, "invitations/notification_settings.html",
                  {"targets": targets, "adding": adding, "period": period}, status=400 if failed else 200)


@login_required
@require_POST
def remove_target(request, pk):
    target = get_object_or_404(NotificationTarget, pk=pk, owner=request.user)
    target.delete()
    messages.success(request, f"Removed {target}: nothing more goes there.")
    return redirect("notification_settings")


@login_required
@require_POST
def test_target(request, pk):
    """Queue a test to the target and send it now; say what apprise answered."""
    target = get_object_or_404(NotificationTarget, pk=pk, owner=request.user)
    now = timezone.now()
    row = queue_test_notice(target, now=now)
    outbox.deliver_pending(now, ids=[row.pk])
    row.refresh_from_db()
    if row.state == State.SENT:
        messages.success(request, f"{target}: the test was delivered (apprise reported success).")
    elif row.state == State.UNSURE:
        messages.warning(request, f"{target}: no answer in time, so it may or may not have arrived. {row.last_error}")
    else:
        messages.error(request, f"{target}: the test did not go through. apprise said: {row.last_error}")
    return redirect("notification_settings")
