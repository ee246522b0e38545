"""The calendar feed, opened by its secret address, and the button on /settings/ that replaces it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from invitations.workspace.calendar import calendar_for, feed_owner, feed_token, replace_token


@require_GET
def calendar_feed(request, token):
    """No login (a calendar app cannot log in): the token is the key; a wrong or replaced one is 404."""
    owner = feed_owner(token)
    if owner is None:
        raise Http404("No calendar at this address.")
    response = HttpResponse(calendar_for(owner, now=timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="noghost.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def calendar_address(user):
    """The user's feed address for the settings page, or "" before they made one."""
    token = feed_token(user)
    return settings.SITE_URL + reverse("calendar_feed", kwargs={"token": token}) if token else ""


@login_required
@require_POST
def calendar_token(request):
    had = feed_token(request.user)
    replace_token(request.user, now=timezone.now())
    messages.success(request, "New calendar address made: the old one no longer works; give calendars the new one."
                     if had else "Your calendar address is ready: add it to your calendar app.")
    return redirect(reverse("settings") + "#calendar")
