"""Bulk actions for the admin lists: thin callers of the domain (withdrawals, followups)."""

import datetime as dt

from django.contrib import admin, messages
from django.utils import timezone

from invitations import followups
from invitations.models import FollowUp
from invitations.withdrawals import withdraw

SNOOZE = dt.timedelta(days=1)


def _snooze_each(request, open_followups):
    now = timezone.now()
    snoozed = sum(followups.snooze(fu, until=now + SNOOZE, now=now) for fu in open_followups)
    messages.success(request, f"Snoozed {snoozed} follow-up{'s' if snoozed != 1 else ''} for a day.")


def _finish_each(request, open_followups):
    now = timezone.now()
    done = sum(followups.mark_done(fu, now=now, note="Marked done in the admin.") for fu in open_followups)
    messages.success(request, f"Marked {done} follow-up{'s' if done != 1 else ''} done.")


@admin.action(description="Mark withdrawn by the client")
def mark_withdrawn(modeladmin, request, queryset):
    changed = withdraw(queryset, now=timezone.now())
    skipped = queryset.count() - changed
    messages.success(request, f"Marked {changed} withdrawn" + (f"; {skipped} already answered, left as they were." if skipped else "."))


@admin.action(description="Snooze their open follow-ups for a day")
def snooze_invitation_followups(modeladmin, request, queryset):
    _snooze_each(request, FollowUp.objects.filter(invitation__in=queryset, done_at=None))


@admin.action(description="Mark their open follow-ups done")
def finish_invitation_followups(modeladmin, request, queryset):
    _finish_each(request, FollowUp.objects.filter(invitation__in=queryset, done_at=None))


@admin.action(description="Snooze for a day")
def snooze_followups(modeladmin, request, queryset):
    _snooze_each(request, queryset.filter(done_at=None))


@admin.action(description="Mark done")
def finish_followups(modeladmin, request, queryset):
    _finish_each(request, queryset.filter(done_at=None))
