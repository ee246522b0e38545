"""Bulk actions for the admin lists: thin callers of the domain (withdrawals, followups, snoozes).

Each action is one transaction (all_or_nothing): a row that fails, the third of ten or the
last, leaves every row as it was and says so, instead of two rows changed and a server error.
"""

from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from invitations.answers.withdrawals import withdraw
from invitations.followups import lifecycle as followups
from invitations.followups.lifecycle import UNANSWERED_REPLY
from invitations.followups.reconnects import finish
from invitations.followups.snoozes import SNOOZE_CHOICES, snooze_until
from invitations.models import FollowUp


def all_or_nothing(description):
    """An admin action whose body (returning the message that reports it) runs in one transaction;
    the message is shown only once it is committed, and a failure is an error message, nothing changed."""
    def decorate(body):
        @admin.action(description=description)
        @wraps(body)
        def action(modeladmin, request, queryset):
            try:
                with transaction.atomic():
                    done = body(queryset)
            except (DatabaseError, ValidationError, ValueError) as exc:
                reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]  # not PostgreSQL's CONTEXT lines
                messages.error(request, f"Nothing was changed: {reason}")
                return
            messages.success(request, done)

        return action

    return decorate


def _snooze_each(open_followups, choice):
    """Each follow-up wakes at its owner's morning, in its owner's zone (a superuser may pick others')."""
    now = timezone.now()
    snoozed = sum(
        followups.snooze(fu, until=snooze_until(choice, now=now, profile=fu.owner.profile), now=now)
        for fu in open_followups.select_related("owner__profile")
    )
    return f"Snoozed {snoozed} follow-up{pluralize(snoozed)}: {SNOOZE_CHOICES[choice].lower()}."


def _finish_each(open_followups):
    """Through the same `finish` as the dashboard's Done: a reconnect also closes the client's moot ones.

    The reply of an invitation still open is left open (only an answer closes it), and said so."""
    now = timezone.now()
    unanswered = open_followups.filter(UNANSWERED_REPLY).count()
    done = sum(finish(fu, now=now, note="Marked done in the admin.")
               for fu in open_followups.exclude(UNANSWERED_REPLY).select_related("invitation__client", "client"))
    said = f"Marked {done} follow-up{pluralize(done)} done."
    if unanswered:
        said += (f" {unanswered} repl{pluralize(unanswered, 'y,ies')} left open: "
                 f"{'its invitation is' if unanswered == 1 else 'their invitations are'} not answered yet. "
                 "Answer on the respond page, or record an answer given outside noghost there.")
    return said


def _snooze_action(choice):
    def snooze(queryset):
        return _snooze_each(queryset.filter(done_at=None), choice)

    snooze.__name__ = f"snooze_{choice}"
    return all_or_nothing(f"Snooze selected: {SNOOZE_CHOICES[choice].lower()}")(snooze)


snooze_hour, snooze_tomorrow, snooze_next_week = (_snooze_action(choice) for choice in SNOOZE_CHOICES)


@all_or_nothing("Mark selected follow-ups done")
def mark_selected_done(queryset):
    return _finish_each(queryset.filter(done_at=None))


@all_or_nothing("Mark withdrawn by the client")
def mark_withdrawn(queryset):
    changed = withdraw(queryset, now=timezone.now())
    skipped = queryset.count() - changed
    return f"Marked {changed} withdrawn" + (
        f"; {skipped} already answered, left as {'it was' if skipped == 1 else 'they were'}." if skipped else ".")


@all_or_nothing("Snooze their open follow-ups until tomorrow morning")
def snooze_invitation_followups(queryset):
    return _snooze_each(FollowUp.objects.filter(invitation__in=queryset, done_at=None), "tomorrow")


@all_or_nothing("Mark their open follow-ups done")
def finish_invitation_followups(queryset):
    return _finish_each(FollowUp.objects.filter(invitation__in=queryset, done_at=None))
