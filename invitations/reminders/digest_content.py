"""What a user's daily digest says, built for many users at once from a fixed number of queries.

build_contents(profiles, now=...) reads everything the digests of a batch of users need in four
queries (invitations, follow-ups, the week's invitation counts, the week's reconnects), however
many users and items there are, and splits the rows per user in Python.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.timesince import timesince

from invitations.clock import at_local_hour, local_date
from invitations.mail.links import LinkMaker
from invitations.mail.rendering import url_format
from invitations.models import ANSWERED, UNTITLED, FollowUp, FollowUpKind, Invitation, Status, UnsentAnswer
from invitations.reminders.one_click import usual_busy_until

ANSWER_SOON = dt.timedelta(hours=24)
INTERVIEW_SOON = dt.timedelta(hours=48)
WEEK = dt.timedelta(days=7)
CLOSED = [Status.DECLINED, Status.WITHDRAWN]
KIND_LABELS = dict(FollowUpKind.choices)
UNSENT_NOTE = "Answer drafted, not sent: send it, then tell noghost it went out."


@dataclass(frozen=True)
class Item:
    """One line of the digest: what, from whom, when, and where to act on it."""

    title: str
    client: str
    when: str
    url: str
    note: str = ""
    links: dict = field(default_factory=dict, compare=False)  # one-click links by action (mail/links.py)


@dataclass(frozen=True)
class Week:
    """The last seven days in numbers."""

    received: int = 0
    answered: int = 0
    answered_in_time: int = 0
    declined: int = 0
    reconnects_made: int = 0


@dataclass
class DigestContent:
    """Everything one user's digest says; a plain object the templates and tests read."""

    owner: object
    local_date: dt.date
    zone_name: str
    overdue: list = field(default_factory=list)
    replies_due: list = field(default_factory=list)
    reconnects: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    followups: list = field(default_factory=list)
    week: Week = Week()
    busy_until: dt.date = None  # what "Decline as busy" offers (the user's usual period from today)

    @property
    def sections(self):
        """(heading, link label, items) in the order the e-mail shows them."""
        return [
            ("Overdue: answer now", "Answer now", self.overdue),
            ("Replies due in the next 24 hours", "Answer", self.replies_due),
            ("Reconnects due today", "Open the drafted message", self.reconnects),
            ("Interviews in the next 48 hours", "Open", self.interviews),
            ("Other follow-ups due today", "Open", self.followups),
        ]

    @property
    def answers_needed(self):
        return len(self.overdue) + len(self.replies_due)

    @property
    def item_count(self):
        """How many things need attention today (the week's numbers do not)."""
        return self.answers_needed + len(self.reconnects) + len(self.interviews) + len(self.followups)

    @property
    def needs_attention(self):
        return self.item_count > 0

    @property
    def headline(self):
        """The subject: what needs attention, counted ("3 invitations need an answer today")."""
        parts = []
        if self.answers_needed:
            n = self.answers_needed
            parts.append(f"{n} invitation{'s need' if n > 1 else ' needs'} an answer today")
        for count, one, many in (
            (len(self.reconnects), "reconnect due", "reconnects due"),
            (len(self.interviews), "interview in the next 48 hours", "interviews in the next 48 hours"),
            (len(self.followups), "follow-up due", "follow-ups due"),
        ):
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        if not parts:
            return "Nothing needs you today"
        return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def local_time(moment, zone):
    return moment.astimezone(zone).strftime("%a %d %b, %H:%M")


def invitation_item(row, url, when, links=None):
    """An invitation's line; one whose answer is saved but not sent says so (it is still unanswered)."""
    return Item(title=row["title"] or UNTITLED, client=row["client__name"], when=when, url=url,
                note=UNSENT_NOTE if row["unsent_saved"] else "", links=links or {})


def followup_item(row, zone, local_today, url, links):
    day = local_date(row["due_at"], zone)
    when = "due today" if day >= local_today else f"due since {day:%a %d %b}"
    title = KIND_LABELS[row["kind"]]
    if row["invitation_id"]:
        title = f"{title}: {row['invitation__title'] or UNTITLED}"
    return Item(title=title, client=row["client__name"] or "", when=when, url=url, note=row["note"], links=links)


class Paths:
    """The absolute URLs a batch's digests link to, each reverse()d once (rendering.url_format())."""

    def __init__(self, now):
        self.respond, self.invitation, self.client, self.reconnect = (
            url_format(name) for name in ("respond", "invitation_detail", "client_detail", "reconnect"))
        self.links = LinkMaker(now)


def invitation_rows(owner_ids, now):
    """Open invitations due within a day and interviews within two days, of all owners at once,
    as values() rows (no model instances: a batch reads thousands).

    An invitation whose reply follow-up is snoozed past `now` is left out, as snoozing promises.
    """
    reply_snoozed = FollowUp.objects.filter(
        invitation=OuterRef("pk"), kind=FollowUpKind.REPLY, done_at=None, snoozed_until__gt=now
    )
    answer = Q(status=Status.OPEN, responded_at=None, reply_by__lte=now + ANSWER_SOON) & ~Exists(reply_snoozed)
    interview = Q(interview_at__gt=now, interview_at__lte=now + INTERVIEW_SOON) & ~Q(status__in=CLOSED)
    return (
        Invitation.objects.filter(answer | interview, owner_id__in=owner_ids)
        .annotate(unsent_saved=Exists(UnsentAnswer.objects.filter(invitation=OuterRef("pk"))))
        .order_by("reply_by", "pk")
        .values("pk", "owner_id", "title", "status", "reply_by", "interview_at", "client__name", "unsent_saved")
    )


def followup_rows(owner_ids, now, until):
    """Open, unsnoozed follow-ups other than replies, due before `until` (the latest local midnight)."""
    return (
        FollowUp.objects.filter(owner_id__in=owner_ids, due_at__lt=until).actionable(now)
        .exclude(kind=FollowUpKind.REPLY)
        .order_by("due_at", "pk")
        .values("pk", "owner_id", "kind", "due_at", "note", "invitation_id", "client_id", "invitation__title",
                "client__name")
    )


def week_numbers(owner_ids, now):
    """{owner_id: Week} for the seven days up to `now`: two aggregate queries for all owners.

    Answered means accepted or declined (models.ANSWERED), not withdrawn by the client.
    """
    since = now - WEEK
    answered = Q(responded_at__gt=since, responded_at__lte=now) & ANSWERED
    counts = (
        Invitation.objects.filter(owner_id__in=owner_ids)
        .filter(Q(received_at__gt=since, received_at__lte=now) | answered)
        .values("owner_id")
        .annotate(
            received=Count("pk", filter=Q(received_at__gt=since, received_at__lte=now)),
            answered=Count("pk", filter=answered),
            answered_in_time=Count("pk", filter=answered & Q(responded_at__lte=F("reply_by"))),
            declined=Count("pk", filter=answered & Q(status=Status.DECLINED)),
        )
    )
    reconnects = dict(
        FollowUp.objects.reconnects().filter(owner_id__in=owner_ids, done_at__gt=since, done_at__lte=now).values("owner_id").annotate(n=Count("pk")).values_list("owner_id", "n")
    )
    weeks = {row.pop("owner_id"): row for row in counts}
    return {
        owner_id: Week(**weeks.get(owner_id, {}), reconnects_made=reconnects.get(owner_id, 0))
        for owner_id in owner_ids
    }


def add_invitations(by_owner, now, paths):
    """Overdue invitations and replies due (by reply-by), interviews (soonest first)."""
    interviews = []
    for row in invitation_rows(list(by_owner), now):
        zone, content = by_owner[row["owner_id"]]
        pk, reply_by = row["pk"], row["reply_by"]
        if row["status"] == Status.OPEN and reply_by <= now + ANSWER_SOON:
            links = paths.links.invitation(row["owner_id"], pk, busy_until=content.busy_until)
            if reply_by <= now:
                overdue = timesince(reply_by, now, depth=2).replace("\xa0", " ")
                content.overdue.append(invitation_item(row, paths.respond(pk), f"overdue {overdue}", links))
            else:
                when = f"reply by {local_time(reply_by, zone)}"
                content.replies_due.append(invitation_item(row, paths.respond(pk), when, links))
        interview = row["interview_at"]
        if interview and now < interview <= now + INTERVIEW_SOON and row["status"] not in CLOSED:
            item = invitation_item(row, paths.invitation(pk), f"interview {local_time(interview, zone)}")
            interviews.append((interview, pk, content, item))
    for _, _, content, item in sorted(interviews, key=lambda row: row[:2]):
        content.interviews.append(item)


def add_followups(by_owner, ends, now, paths):
    """Reconnects and other follow-ups due by the end of each owner's own local day."""
    for row in followup_rows(list(by_owner), now, max(ends.values())):
        owner_id, pk = row["owner_id"], row["pk"]
        if row["due_at"] >= ends[owner_id]:
            continue  # due after this owner's local midnight (the query used the latest one)
        zone, content = by_owner[owner_id]
        links = paths.links.followup(owner_id, pk)
        if row["kind"] == FollowUpKind.RECONNECT:
            content.reconnects.append(followup_item(row, zone, content.local_date, paths.reconnect(pk), links))
        else:
            url = paths.invitation(row["invitation_id"]) if row["invitation_id"] else paths.client(row["client_id"])
            content.followups.append(followup_item(row, zone, content.local_date, url, links))


def build_contents(profiles, *, now):
    """{owner_id: DigestContent} for these profiles (with `user` loaded), in four queries."""
    by_owner, ends = {}, {}
    for profile in profiles:
        zone = profile.zone
        today = local_date(now, zone)
        ends[profile.user_id] = at_local_hour(today + dt.timedelta(days=1), 0, zone)
        content = DigestContent(owner=profile.user, local_date=today, zone_name=profile.timezone,
                                busy_until=usual_busy_until(profile, now))
        by_owner[profile.user_id] = (zone, content)
    if not by_owner:
        return {}
    paths = Paths(now)
    add_invitations(by_owner, now, paths)
    add_followups(by_owner, ends, now, paths)
    for owner_id, week in week_numbers(list(by_owner), now).items():
        by_owner[owner_id][1].week = week
    return {owner_id: content for owner_id, (_, content) in by_owner.items()}


def build_digest(owner, *, now):
    """Today's digest content for one user (the preview page, the test digest)."""
    return build_contents([owner.profile], now=now)[owner.pk]
