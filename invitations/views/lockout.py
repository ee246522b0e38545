"""Login throttling's two hooks (django-axes): whose failures count, and the page a locked-out login sees."""

from axes.helpers import get_client_username
from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The address login throttling counts failures against.

    Behind our proxy (BEHIND_PROXY) REMOTE_ADDR is the proxy itself; the right-most
    X-Forwarded-For entry is the one our proxy appended, so a client cannot forge it.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page django-axes shows a locked-out login: calm, in the site's look, with a way out."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
