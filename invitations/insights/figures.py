"""The dashboard's figures (metrics.learn) computed once per change, not once per page view.

Exact, never stale (docs/design.md, rule 17). Cached per user, period, platform, zone and
language under the owner's FiguresVersion stamp, which database triggers replace in the same
transaction as any write to a column a figure reads. An entry also holds the next moment a
figure changes by time alone (a deadline passing, a row entering or leaving the sliding
period, a local midnight moving the weeks), and is used only before it.
"""

import datetime as dt
import math

from django.core.cache import cache
from django.db.models import Subquery
from django.utils import translation

from invitations.clock import at_local_hour, local_date
from invitations.insights import metrics
from invitations.models import FiguresVersion, FollowUp, Invitation, Status


def stamp(owner):
    """The owner's current stamp; None for an owner no trigger has stamped yet (reading writes nothing)."""
    return FiguresVersion.objects.filter(owner_id=owner.pk).values_list("stamp", flat=True).first()


def next_change(owner, now, filters, zone):
    """The first moment after `now` at which learn() could answer differently with the same rows. One query.

    Earlier is always safe (the entry is only recomputed sooner), so reconnects are looked at on
    every platform and deadlines over every open invitation, in the period or not.
    """
    since, period = filters.since(now), dt.timedelta(days=filters.days)
    invitations = Invitation.objects.filter(owner=owner)
    if filters.platform:
        invitations = invitations.filter(platform=filters.platform)
    reconnects = FollowUp.objects.reconnects().filter(owner=owner)

    def first(rows, field, after):
        return Subquery(rows.filter(**{f"{field}__gt": after}).order_by(field).values(field)[:1])

    entering, oldest, deadline, reconnect_due, oldest_reconnect = (
        FiguresVersion.objects.filter(owner_id=owner.pk).annotate(
            entering=first(invitations, "received_at", now), oldest=first(invitations, "received_at", since),
            deadline=first(invitations.filter(status=Status.OPEN), "reply_by", now),
            reconnect_due=first(reconnects, "due_at", now), oldest_reconnect=first(reconnects, "due_at", since),
        ).values_list("entering", "oldest", "deadline", "reconnect_due", "oldest_reconnect").get()
    )
    moments = [
        entering, deadline, reconnect_due,
        *(moment + period for moment in (oldest, oldest_reconnect) if moment is not None),
        at_local_hour(local_date(now, zone) + dt.timedelta(days=1), 0, zone),  # a new week, month or day
        at_local_hour(local_date(since, zone) + dt.timedelta(days=1), 0, zone) + period,  # the first one moves
    ]
    return min(moment for moment in moments if moment is not None)


def learn(owner, now, filters, zone):
    """metrics.learn(), from the cache while no write and no moment since has changed it."""
    current = stamp(owner)
    if current is None:  # nothing written since the triggers came: computed each time until then
        return metrics.learn(owner, now, filters, zone)
    key = f"figures:{owner.pk}:{current}:{filters.days}:{filters.platform}:{zone}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is not None and cached[0] <= now < cached[1]:
        return cached[2]
    learned = metrics.learn(owner, now, filters, zone)
    until = next_change(owner, now, filters, zone)
    cache.set(key, (now, until, learned), timeout=math.ceil((until - now).total_seconds()) + 1)
    return learned
