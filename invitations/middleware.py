"""Show and read times in the logged-in user's own zone (Profile.timezone)."""

import zoneinfo

from django.utils import timezone


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.profile.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
