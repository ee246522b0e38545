"""The invitation list's filters for what needs an answer: overdue, due this week."""

import datetime as dt

from django.contrib import admin
from django.db import models
from django.utils import timezone

from invitations.clock import at_local_hour, local_date
from invitations.models import Status


class OverdueFilter(admin.SimpleListFilter):
    """Open invitations whose reply-by has passed: the ones somebody is being ghosted on."""

    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        overdue = models.Q(status=Status.OPEN, reply_by__lte=timezone.now())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


class DueThisWeekFilter(admin.SimpleListFilter):
    """Open invitations still to answer this week (until Sunday midnight in the user's zone), or within 7 days.

    Overdue ones are the other filter's business, so "due" starts now.
    """

    title = "reply due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("week", "This week"), ("next7", "In the next 7 days")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "week":
            zone = timezone.get_current_timezone()  # the user's own, or UTC while theirs is unknown (the middleware)
            today = local_date(now, zone)
            end = at_local_hour(today + dt.timedelta(days=7 - today.weekday()), 0, zone)
        elif self.value() == "next7":
            end = now + dt.timedelta(days=7)
        else:
            return queryset
        return queryset.filter(status=Status.OPEN, reply_by__gt=now, reply_by__lt=end)
