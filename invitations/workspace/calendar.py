"""The calendar feed (`/calendar/<token>.ics`): what is due and booked, for any calendar app.

Reply deadlines of open invitations, accepted interviews (with an alarm an hour before), and
open follow-ups (reconnects, a word to a referrer, a call to confirm in writing, custom ones),
each linking back to its page. Times are UTC with the user's zone named (X-WR-TIMEZONE); every
event's UID is its row's kind and id, so a calendar updates an event instead of adding a second,
and an invitation answered since the last refresh simply has no deadline any more. Three
queries whatever the number of rows: the token's owner, the invitations, the follow-ups.
"""

import datetime as dt
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from icalendar import Alarm, Calendar, Event

from invitations.mail.rendering import page_url
from invitations.models import CalendarFeed, FollowUp, FollowUpKind, Invitation, Status

INTERVIEW = dt.timedelta(hours=1)
ALARM_BEFORE = dt.timedelta(hours=1)
DEADLINE = dt.timedelta(minutes=15)  # a deadline or a follow-up: a short event starting when it is due
INTERVIEWS_KEPT = dt.timedelta(days=90)  # accepted interviews this far back stay in the calendar
TOKEN_BYTES = 32

FOLLOWUP_TITLES = {
    FollowUpKind.RECONNECT: "Reconnect with {client}",
    FollowUpKind.NOTIFY_REFERRER: "Tell {client} what happened",
    FollowUpKind.CONFIRM_IN_WRITING: "Confirm the call with {client} in writing",
    FollowUpKind.CUSTOM: "Follow up with {client}",
}


def feed_token(owner):
    """The owner's feed token, or None before they asked for a calendar address."""
    return CalendarFeed.objects.filter(owner=owner).values_list("token", flat=True).first()


def replace_token(owner, *, now):
    """A new token for the owner (their first, or in place of one): the old address stops working
    at once. Returns the new token."""
    token = _new_token()
    try:
        with transaction.atomic():
            CalendarFeed.objects.update_or_create(owner=owner, defaults={"token": token, "created_at": now})
    except IntegrityError:  # a concurrent first request made the row: replace its token instead
        CalendarFeed.objects.filter(owner=owner).update(token=token, created_at=now)
    return token


def _new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def feed_owner(token):
    """The user whose feed `token` opens, with their profile, or None (a wrong or replaced token)."""
    feed = CalendarFeed.objects.select_related("owner__profile").filter(token=token).first()
    return feed.owner if feed else None


def calendar_for(owner, *, now):
    """The owner's feed as iCalendar bytes."""
    calendar = Calendar()
    calendar.add("prodid", "-//noghost//calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "noghost")
    calendar.add("x-wr-timezone", owner.profile.timezone)
    calendar.add("x-published-ttl", "PT1H")
    for event in [*_invitation_events(owner, now=now), *_followup_events(owner)]:
        event.add("dtstamp", now)
        calendar.add_component(event)
    return calendar.to_ical()


def _event(uid, summary, start, duration, link):
    event = Event()
    event.add("uid", f"{uid}@{urlsplit(settings.SITE_URL).hostname or 'noghost'}")
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", start + duration)
    event.add("url", link)
    event.add("description", f"Open in noghost: {link}")
    return event


def _invitation_events(owner, *, now):
    """A deadline per open invitation and an interview per accepted one still in view."""
    rows = Invitation.objects.filter(owner=owner).filter(
        _open_or_interview(now)).select_related("client").order_by("pk")
    for invitation in rows:
        what = f"{invitation.client.name}: {invitation.title or 'untitled invitation'}"
        if invitation.status == Status.OPEN:
            yield _event(f"reply-{invitation.pk}", f"Reply to {what}", invitation.reply_by, DEADLINE,
                         page_url("respond", invitation.pk))
        else:
            event = _event(f"interview-{invitation.pk}", f"Interview with {what}", invitation.interview_at, INTERVIEW,
                           page_url("invitation_detail", invitation.pk))
            event.add_component(_alarm(f"Interview in an hour: {what}"))
            yield event


def _open_or_interview(now):
    return Q(status=Status.OPEN) | Q(status=Status.ACCEPTED, interview_at__gte=now - INTERVIEWS_KEPT)


def _alarm(text):
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def _followup_events(owner):
    """Each open follow-up but replies (the deadline says it), when it falls due (after a snooze)."""
    rows = (FollowUp.objects.open().filter(owner=owner).exclude(kind=FollowUpKind.REPLY)
            .select_related("client", "invitation__client").order_by("pk"))
    for followup in rows:
        client = followup.client or followup.invitation.client
        when = max(followup.due_at, followup.snoozed_until or followup.due_at)
        if followup.kind == FollowUpKind.RECONNECT:
            link = page_url("reconnect", followup.pk)
        elif followup.invitation_id:
            link = page_url("invitation_detail", followup.invitation_id)
        else:
            link = page_url("client_detail", client.pk)
        summary = FOLLOWUP_TITLES[followup.kind].format(client=client.name)
        event = _event(f"followup-{followup.pk}", summary, when, DEADLINE, link)
        if followup.note:
            event["description"] = f"{followup.note}\n\nOpen in noghost: {link}"
        yield event
