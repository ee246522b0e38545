"""`/`: what needs the user now, the pipeline, and what they can learn from it.

A fixed number of queries whatever the number of invitations (tests/web/test_dashboard.py counts them).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from invitations.followups.agenda import needs_me_now, upcoming_interviews
from invitations.forms.welcome import WelcomeForm
from invitations.insights import charts, figures
from invitations.insights.filters import filters_from
from invitations.intake.inbox import waiting
from invitations.mail import outbox
from invitations.models import Mailbox, NoticedReply, OutboundEmail, Platform
from invitations.reminders.digests import last_digest
from invitations.reminders.problems import problems_of
from invitations.reminders.scheduler_health import sweep_health
from invitations.workspace.lists import is_new


def learning_charts(learned):
    """The "Pipeline" and "What I can learn" charts, from metrics.learn()."""
    return {
        "pipeline": charts.hbar_chart(
            "chart-pipeline", "Invitations by status", "Invitations received in the period, by where they stand now.",
            [(label, n) for _, label, n in learned["pipeline"]], label_header="Status", value_header="Invitations",
        ),
        "reply_rate": charts.line_chart(
            "chart-reply-rate", "Answered within the window, by week",
            "Share of each week's invitations answered (accepted or declined) by their reply-by time. "
            "Invitations withdrawn by the client within the window, and those still inside it, are not counted.",
            [(f"{week['week']:%d %b}", week["rate"]) for week in learned["weeks"]],
            label_header="Week starting", value_header="Answered in time",
        ),
        "platforms": charts.hbar_chart(
            "chart-platforms", "Invitations by platform", "Invitations received in the period, by platform.",
            [(label, n) for _, label, n in learned["platforms"]], label_header="Platform", value_header="Invitations",
        ),
        "months": charts.column_chart(
            "chart-months", "Invitations by month", "Invitations received per month, in your time zone.",
            [(f"{month:%b ’%y}", n) for month, n in learned["months"]], label_header="Month", value_header="Invitations",
        ),
        "reasons": charts.hbar_chart(
            "chart-reasons", "Why I declined", "Declines in the period, by the reason given, most frequent first.",
            [(label, n) for _, label, n in learned["reasons"]], label_header="Reason", value_header="Declines",
        ),
    }


@login_required
def dashboard(request):
    now = timezone.now()
    zone = timezone.get_current_timezone()  # the user's own, or UTC while theirs is unknown (the middleware)
    form, filters = filters_from(request)
    learned = figures.learn(request.user, now, filters, zone)
    return render(request, "invitations/dashboard.html", {
        "now": now,
        "sections": needs_me_now(request.user, now, zone),
        "interviews": upcoming_interviews(request.user, now),
        "health": sweep_health(now),
        "undelivered": outbox.undelivered(request.user, now),
        "problems": problems_of(request.user.profile, now=now),
        "last": last_digest(request.user, now),
        "inbox_waiting": waiting(request.user).count(),
        "failing_mailbox": Mailbox.objects.filter(owner=request.user, state=Mailbox.State.FAILING).first(),
        "noticed": NoticedReply.objects.filter(owner=request.user).select_related("invitation__client")
                   .order_by("sent_at", "pk"),
        "filter_form": form,
        "filters": filters,
        "platform_label": Platform(filters.platform).label if filters.platform else "",
        "learned": learned,
        "charts": learning_charts(learned),
        "welcome": WelcomeForm(user=request.user) if is_new(request.user, learned) else None,
    })


@login_required
@require_POST
def email_send_again(request, pk):
    """Send again, on its owner's word, an e-mail that may or may not have arrived (rule 6)."""
    email = get_object_or_404(OutboundEmail, pk=pk, owner=request.user)
    now = timezone.now()
    if not outbox.send_again(request.user, email.pk):
        messages.info(request, "That e-mail is no longer in doubt; nothing was sent.")
    elif outbox.deliver_pending(now, ids=[email.pk])[0]:
        messages.success(request, f"Sent “{email.subject}” again to {email.to}.")
    else:
        email.refresh_from_db()
        messages.error(request, f"Could not send “{email.subject}” again just now: {email.last_error}")
    return redirect("dashboard")
