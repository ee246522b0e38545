"""Show and read times in the logged-in user's own zone (Profile.timezone).

A zone this system no longer knows (after a restore or a tzdata update) shows times in UTC and
sends the user from any page that works in their zone to Settings to choose it again; the
dashboard and Settings stay open and say why (`request.unknown_zone`, _problems.html). A user
with no profile (one deleted, or a user written straight into the database) is given the
default one, as the signal would have.
"""

from django.shortcuts import redirect
from django.utils import timezone

from invitations.clock import zone_named
from invitations.models import Profile

# Pages a user whose zone is unknown still sees: where they learn of it and where they fix it.
OPEN_WITHOUT_A_ZONE = {"dashboard", "settings"}


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.deactivate()
        request.unknown_zone = ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = profile_of(user).timezone
            try:
                timezone.activate(zone_named(name))
            except ValueError:
                request.unknown_zone = name or "(none)"
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not request.unknown_zone or not view_func.__module__.startswith("invitations.views"):
            return None
        if match.url_name in OPEN_WITHOUT_A_ZONE:
            return None
        return redirect("settings")


def profile_of(user):
    """The user's profile, created with the defaults if they have none."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        user.profile = Profile.objects.get_or_create(user=user)[0]
        return user.profile
