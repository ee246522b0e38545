"""Bulk actions for the admin lists: thin callers of the domain (withdrawals, followups, snoozes)."""

from django.contrib import admin, messages
from django.template.defaultfilters import pluralize
from django.utils import timezone

from invitations.answers.withdrawals import withdraw
from invitations.followups import lifecycle as followups
from invitations.followups.lifecycle import UNANSWERED_REPLY
from invitations.followups.reconnects import finish
from invitations.followups.snoozes import SNOOZE_CHOICES, snooze_until
from invitations.models import FollowUp


def _snooze_each(request, open_followups, choice):
    """Each follow-up wakes at its owner's morning, in its owner's zone (a superuser may pick others')."""
    now = timezone.now()
    snoozed = sum(
        followups.snooze(fu, until=snooze_until(choice, now=now, profile=fu.owner.profile), now=now)
        for fu in open_followups.select_related("owner__profile")
    )
    messages.success(request, f"Snoozed {snoozed} follow-up{pluralize(snoozed)}: {SNOOZE_CHOICES[choice].lower()}.")


def _finish_each(request, open_followups):
    """Through the same `finish` as the dashboard's Done: a reconnect also closes the client's moot ones.

    The reply of an invitation still open is left open (only an answer closes it), and said so."""
    now = timezone.now()
    unanswered = open_followups.filter(UNANSWERED_REPLY).count()
    done = sum(finish(fu, now=now, note="Marked done in the admin.")
               for fu in open_followups.exclude(UNANSWERED_REPLY).select_related("invitation__client", "client"))
    messages.success(request, f"Marked {done} follow-up{pluralize(done)} done.")
    if unanswered:
        messages.warning(request, f"{unanswered} repl{pluralize(unanswered, 'y,ies')} left open: "
                         f"{'its invitation is' if unanswered == 1 else 'their invitations are'} not answered yet. "
                         "Answer on the respond page, or record an answer given outside noghost there.")


def _snooze_action(choice):
    def action(modeladmin, request, queryset):
        _snooze_each(request, queryset.filter(done_at=None), choice)

    action.__name__ = f"snooze_{choice}"
    return admin.action(description=f"Snooze selected: {SNOOZE_CHOICES[choice].lower()}")(action)


snooze_hour, snooze_tomorrow, snooze_next_week = (_snooze_action(choice) for choice in SNOOZE_CHOICES)


@admin.action(description="Mark selected follow-ups done")
def mark_selected_done(modeladmin, request, queryset):
    _finish_each(request, queryset.filter(done_at=None))


@admin.action(description="Mark withdrawn by the client")
def mark_withdrawn(modeladmin, request, queryset):
    changed = withdraw(queryset, now=timezone.now())
    skipped = queryset.count() - changed
    messages.success(request, f"Marked {changed} withdrawn" + (f"; {skipped} already answered, left as {'it was' if skipped == 1 else 'they were'}." if skipped else "."))


@admin.action(description="Snooze their open follow-ups until tomorrow morning")
def snooze_invitation_followups(modeladmin, request, queryset):
    _snooze_each(request, FollowUp.objects.filter(invitation__in=queryset, done_at=None), "tomorrow")


@admin.action(description="Mark their open follow-ups done")
def finish_invitation_followups(modeladmin, request, queryset):
    _finish_each(request, FollowUp.objects.filter(invitation__in=queryset, done_at=None))
