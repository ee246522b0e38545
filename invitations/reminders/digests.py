"""The daily digest (docs/design.md, rule 5): once per user per local day, at or after their digest hour.

The (owner, local date) Digest row is the claim, inserted with its e-mail queued beside it, so
racing runs on any number of machines send it once; only the user's current day is ever claimed,
so a missed digest goes out later that day and never for a day already over.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction

from invitations.clock import at_local_hour, local_date
from invitations.mail import outbox
from invitations.mail.rendering import page_url, render_email
from invitations.models import Digest, OutboundEmail, Profile
from invitations.reminders.digest_claims import claim_all
from invitations.reminders.digest_content import build_contents, build_digest
from invitations.reminders.problems import guarded

# Users are built, claimed and sent in batches: a fixed number of reads per batch, bounded memory.
BATCH = 500
EmailState = OutboundEmail.State
# "Send me a test digest" sends at most one per user in this time.
TEST_DIGEST_EVERY = dt.timedelta(minutes=1)


class TooSoon(Exception):
    """A test digest went out less than TEST_DIGEST_EVERY ago; `wait` says how long is left."""

    def __init__(self, wait):
        super().__init__(f"try again in {wait}")
        self.wait = wait


@dataclass
class DigestRun:
    """What one run did: `due` counts the due users; a dry run's `planned` lists (user, content)
    for each (what it shows), a real run keeps nothing per user beyond its batch."""

    due: int = 0
    sent: int = 0
    failed: int = 0
    quiet: int = 0
    lost: int = 0
    retried: int = 0
    skipped: int = 0  # users whose digest could not be made (problems.py)
    planned: list = field(default_factory=list)

    @property
    def summary(self):
        return (
            f"{self.due} due: {self.sent} sent, {self.failed} failed, {self.quiet} quiet, "
            f"{self.lost} claimed elsewhere, {self.retried} retried"
            + (f", {self.skipped} skipped (see the log)" if self.skipped else "")
        )


def render_digest(content):
    """The digest e-mail (subject, text, HTML); the preview page shows exactly this."""
    return render_email("digest", {"digest": content, "dashboard_url": page_url("dashboard"),
                                   "settings_url": page_url("settings")})


def due_at(profile, now):
    """The moment today's digest falls due for this profile, in UTC."""
    return at_local_hour(local_date(now, profile.zone), profile.digest_hour, profile.zone)


def receiving_profiles(users=None):
    """Profiles that get digests at all: enabled, active, with an address; with their users, by id."""
    profiles = Profile.objects.filter(digest_enabled=True, user__is_active=True).exclude(user__email="")
    if users is not None:
        profiles = profiles.filter(user__in=users)
    return profiles.select_related("user").order_by("user_id")


def claimed_today(profiles, now):
    """(owner_id, local date) of the digests claimed for these profiles' current local days."""
    days = {local_date(now, p.zone) for p in profiles}
    return set(Digest.objects.filter(local_date__in=days, owner__in=[p.user_id for p in profiles])
               .values_list("owner_id", "local_date"))


def due_profiles(now, run, *, users=None):
    """Profiles whose digest is due now: enabled, past their local hour, today not yet claimed.

    Each one's `today` is set. One whose day cannot be told (an unknown zone) is skipped, its
    problem recorded and counted in `run`.
    """
    due = []
    for profile in receiving_profiles(users):
        answer = guarded("digest", profile.user_id, lambda: is_due(profile, now), now=now)
        run.skipped += answer is None
        if answer:
            due.append(profile)
    claimed = set(Digest.objects.filter(local_date__in={p.today for p in due}).values_list("owner_id", "local_date"))
    return [p for p in due if (p.user_id, p.today) not in claimed]


def is_due(profile, now):
    """Whether the profile's digest hour has come today, setting `profile.today` (its local date)."""
    profile.today = local_date(now, profile.zone)
    return now >= due_at(profile, now)


def contents_of(profiles, run, *, now):
    """build_contents() for a batch; when it raises, each half on its own, down to the one user
    whose digest cannot be made (skipped, its problem recorded, counted in `run`): a bad row
    costs a few more reads, never everyone's digest."""
    if len(profiles) == 1:
        built = guarded("digest", profiles[0].user_id, lambda: build_contents(profiles, now=now), now=now)
        run.skipped += built is None
        return built or {}
    try:
        return build_contents(profiles, now=now)
    except DatabaseError:
        raise
    except Exception:
        half = len(profiles) // 2
        return {**contents_of(profiles[:half], run, now=now), **contents_of(profiles[half:], run, now=now)}


def next_digests(now, *, users=None):
    """[(profile, moment)]: when each user who gets digests is next due one (now, if it is due now).

    Today's at their hour if it is still ahead and unclaimed, else tomorrow's (what `send_digests
    --dry-run` says when nobody is due)."""
    profiles = list(receiving_profiles(users))
    claimed = claimed_today(profiles, now)
    upcoming = []
    for profile in profiles:
        zone, today = profile.zone, local_date(now, profile.zone)
        if (profile.user_id, today) in claimed:
            moment = at_local_hour(today + dt.timedelta(days=1), profile.digest_hour, zone)
        else:
            moment = max(due_at(profile, now), now)
        upcoming.append((profile, moment))
    return upcoming


def claim_and_queue(content, *, now):
    """claim_all() for one user's content. Returns (claimed, email or None)."""
    queued = claim_all([(content, render_digest(content) if content.needs_attention else None)], now=now)
    if content.owner.pk not in queued:
        return False, None
    email = queued[content.owner.pk]
    return True, email and OutboundEmail.objects.get(pk=email)


def still_its_day(digest, now):
    """Whether the digest's day is still today for its owner: only then is it (re)sent."""
    return digest.local_date == local_date(now, digest.owner.profile.zone)


def last_digest(owner, now):
    """The owner's most recent digest that had something to say (with its e-mail), or None.

    Its `retried` says whether a run still sends it: failed, not given up, and its day not over
    (a digest run never sends a digest for a day gone by, however short of the cap it failed).
    """
    last = (
        Digest.objects.filter(owner=owner, email__isnull=False).select_related("email", "owner__profile")
        .order_by("-local_date").first()
    )
    if last is not None:
        email = last.email
        last.retried = email.state == EmailState.FAILED and not email.given_up and is_its_day(last, now)
    return last


def is_its_day(digest, now):
    """still_its_day(), or False for an owner whose zone is unknown: no run retries that digest."""
    try:
        return still_its_day(digest, now)
    except ValueError:
        return False


def queue_test_digest(user, *, now):
    """Queue today's digest for `user` as a test (not the day's digest); TooSoon if one was
    queued less than TEST_DIGEST_EVERY ago. The outbox rows are the record: one transaction
    checks and queues, with the user's profile locked on PostgreSQL (SQLite's IMMEDIATE
    transactions take turns), so two requests at once cannot both pass."""
    rendered = render_digest(build_digest(user, now=now))
    with transaction.atomic():
        list(Profile.objects.select_for_update().filter(user=user).values_list("pk"))
        last = (
            OutboundEmail.objects.filter(owner=user, kind=OutboundEmail.Kind.TEST_DIGEST,
                                         created_at__gt=now - TEST_DIGEST_EVERY)
            .order_by("-created_at").values_list("created_at", flat=True).first()
        )
        if last is not None:
            raise TooSoon(last + TEST_DIGEST_EVERY - now)
        return outbox.queue_email(user, OutboundEmail.Kind.TEST_DIGEST, rendered, now=now)


def retry_failed(now, run, *, deadline):
    """Send again today's digests whose e-mail raised, or was left queued or claimed by a run
    that stopped (the outbox settles one it left `sending`).

    Only for a day that is still today for its user: a digest is never sent for a day over.
    """
    days = {now.date() + dt.timedelta(days=offset) for offset in (-1, 0, 1)}
    pending = Digest.objects.filter(
        local_date__in=days, email__state__in=[EmailState.QUEUED, EmailState.FAILED, EmailState.SENDING]
    ).select_related("owner__profile")
    ids = [d.email_id for d in pending if guarded("digest", d.owner_id, lambda: still_its_day(d, now), now=now)]
    if ids:
        sent, failed = outbox.deliver_pending(now, ids=ids, deadline=deadline)
        run.retried += sent + failed
        run.sent, run.failed = run.sent + sent, run.failed + failed


def send_due_digests(now, *, users=None, dry_run=False):
    """Send today's digest to every user it is due for; returns a DigestRun.

    `users` restricts the run (the command's --user). A dry run builds what would be sent and
    claims, queues and sends nothing. A user whose digest cannot be made is skipped (problems.py)
    and tried again by the next run, so it still goes out that day once the problem is fixed.
    The run sends within one time budget (outbox.run_deadline());
    what it claims and queues after that is sent by the next run, while its day lasts.
    """
    run = DigestRun()
    deadline = outbox.run_deadline()
    if not dry_run:
        retry_failed(now, run, deadline=deadline)
    profiles = due_profiles(now, run, users=users)
    run.due = len(profiles)
    for start in range(0, len(profiles), BATCH):
        batch = profiles[start:start + BATCH]
        if dry_run:
            run.planned.extend((content.owner, content) for content in contents_of(batch, run, now=now).values())
            continue
        queued = queue_batch(batch, run, now=now)
        if queued:
            sent, failed = outbox.deliver_pending(now, ids=[email for email in queued.values() if email], deadline=deadline)
            run.sent, run.failed = run.sent + sent, run.failed + failed
    return run


def queue_batch(profiles, run, *, now):
    """Build, render, claim and queue the digests of a batch of due profiles: a fixed number of
    queries however many users (the test holds it under one per user). Rendering, guarded per
    user, comes before the transaction: on SQLite it holds the write lock, which web requests
    wait on. Returns claim_all()'s {owner_id: e-mail id or None}."""
    rendered = []
    for content in contents_of(profiles, run, now=now).values():
        if not content.needs_attention:
            rendered.append((content, None))
            continue
        email = guarded("digest", content.owner.pk, lambda: render_digest(content), now=now)
        run.skipped += email is None
        if email is not None:
            rendered.append((content, email))
    queued = claim_all(rendered, now=now, served_profiles=profiles)
    run.lost += len(rendered) - len(queued)
    run.quiet += sum(email is None for email in queued.values())
    return queued
