"""The secret address of a user's calendar feed."""

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    """One per user who asked for it: the token in `/calendar/<token>.ics`.

    The token is the feed's only key (a calendar app cannot log in), so it is long and random,
    and replacing it (a new row value, the old one gone) is how a leaked address is shut.
    """

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"Calendar feed of {self.owner}"
