"""The digest as the user sees it: today's preview and a test send."""

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from invitations.mail import outbox
from invitations.models import Digest
from invitations.reminders.digest_content import build_digest
from invitations.reminders.digests import TooSoon, due_at, queue_test_digest, render_digest


@login_required
def digest_preview(request):
    """Today's digest exactly as it would be sent (the same rendered HTML), and its status."""
    now = timezone.now()
    content = build_digest(request.user, now=now)
    todays = (
        Digest.objects.filter(owner=request.user, local_date=content.local_date).select_related("email").first()
    )
    return render(request, "invitations/digest_preview.html", {
        "content": content, "rendered": render_digest(content), "todays": todays,
        "due_at": due_at(request.user.profile, now), "now": now,
    })


# The e-mail is styled inline, as mail clients require, so the one policy that allows inline
# style is this document's: it runs no script, is sandboxed, and only our preview may frame it.
EMAIL_DOCUMENT_POLICY = {
    "default-src": [NONE], "style-src": [UNSAFE_INLINE], "img-src": [SELF, "data:"],
    "base-uri": [NONE], "form-action": [NONE], "frame-ancestors": [SELF], "sandbox": [True],
}


@login_required
@xframe_options_sameorigin
@csp(EMAIL_DOCUMENT_POLICY)
def digest_email(request):
    """Today's digest e-mail, the HTML exactly as sent: the document the preview frames."""
    content = build_digest(request.user, now=timezone.now())
    return HttpResponse(render_digest(content).html)


@require_POST
@login_required
def digest_send_test(request):
    """Send today's digest to me now, through the outbox; not counted as the day's digest, and
    at most one a minute (digests.TEST_DIGEST_EVERY)."""
    now = timezone.now()
    try:
        email = queue_test_digest(request.user, now=now)
    except TooSoon as too_soon:
        seconds = max(1, round(too_soon.wait.total_seconds()))
        messages.error(request, f"A test digest went to you less than a minute ago. You can ask for another "
                                f"in {seconds} second{'s' if seconds != 1 else ''}.")
        return redirect("digest_preview")
    sent, _ = outbox.deliver_pending(now, ids=[email.pk])
    if sent:
        messages.success(request, f"Sent a test digest to {email.to}.")
    else:
        email.refresh_from_db()
        messages.error(request, f"Could not send the test digest to {email.to}: {email.last_error}")
    return redirect("digest_preview")
