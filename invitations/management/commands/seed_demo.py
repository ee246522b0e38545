"""python manage.py seed_demo: a demo user with a realistic month of invitations. Idempotent."""

import datetime as dt
import os
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from invitations.answers.respond import respond
from invitations.clock import local_date
from invitations.intake.log import log_invitation
from invitations.management.options import CheckedCommand
from invitations.models import Channel, DeclineReason, Invitation, Platform

CLIENTS = [
    ("Maya Lindqvist", "Nordlight Analytics", Platform.UPWORK),
    ("Tom Okafor", "Brightpath Health", Platform.UPWORK),
    ("Sofia Reyes", "Casa Verde Studio", Platform.FIVERR),
    ("Daniel Brooks", "Harbor Logistics", Platform.TOPTAL),
    ("Priya Natarajan", "Quillstack", Platform.LINKEDIN),
    ("Jonas Weber", "Alpenbahn GmbH", Platform.DIRECT),
    ("Emily Chen", "TalentBridge Recruiting", Platform.RECRUITER),
    ("Lucas Martin", "Pixel & Pine", Platform.UPWORK),
    ("Aisha Bello", "Greenfield Ventures", Platform.DIRECT),
    ("Hiro Tanaka", "Kumo Labs", Platform.TOPTAL),
]
TITLES = [
    "Django REST API for a booking app", "Migrate a Flask monolith to Django", "PostgreSQL performance review",
    "Stripe billing integration", "Celery to django-q2 migration", "Internal admin dashboard",
    "Data pipeline for analytics", "Fix flaky test suite", "Multi-tenant SaaS backend", "CSV import tool",
    "Customer portal MVP", "Code review and mentoring",
]
DECLINE_MIX = [DeclineReason.BUSY] * 4 + [DeclineReason.RATE, DeclineReason.NOT_A_FIT, DeclineReason.REMOTE]


class Command(CheckedCommand):
    help = "Create the demo user (NOGHOST_DEMO_USER / NOGHOST_DEMO_PASSWORD) and a month of invitations, once."

    def handle(self, *args, **opts):
        username = os.environ.get("NOGHOST_DEMO_USER", "demo")
        password = os.environ.get("NOGHOST_DEMO_PASSWORD", "noghost-demo")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com", "is_staff": True, "is_superuser": True},
        )
        if created:
            user.set_password(password)
            user.save()
            self.stdout.write(f"Created demo user {username!r} with password {password!r}.")
        else:
            self.stdout.write(f"Demo user {username!r} exists (password unchanged).")
        if Invitation.objects.filter(owner=user).exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        count = seed_month(user, now=timezone.now())
        self.stdout.write(f"Seeded {count} invitations over the last 30 days.")


@transaction.atomic
def seed_month(user, *, now, rng=None):
    """About 30 invitations over 30 days: most answered, some open, a few overdue."""
    rng = rng or random.Random(42)
    profile = user.profile
    profile.timezone, profile.display_name, profile.signature = "Europe/Berlin", "Alex Demo", "Alex Demo"
    profile.save()
    count = 0
    for days_ago in range(30, -1, -1):
        for _ in range(rng.choice([0, 1, 1, 2])):
            name, company, platform = rng.choice(CLIENTS)
            received = now - dt.timedelta(days=days_ago, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
            invitation = log_invitation(
                user, now=now, client=name, company=company, platform=platform, title=rng.choice(TITLES),
                received_at=received, referred_by="Jonas Weber" if platform == Platform.DIRECT and rng.random() < .3 else "",
            )
            if days_ago > 2 or rng.random() < 0.3:
                answer(invitation, rng, now=now)
            count += 1
    return count


def answer(invitation, rng, *, now):
    """Give a demo invitation a plausible answer within (or just past) its window, through `respond`."""
    responded = min(invitation.received_at + dt.timedelta(hours=rng.choice([1, 3, 8, 20, 30])), now)
    action = rng.choices(["decline", "accept", "withdrawn"], weights=[7, 2, 1])[0]
    details = {}
    if action == "decline":
        details = {"reason": rng.choice(DECLINE_MIX), "channel": Channel.PLATFORM}
        if details["reason"] == DeclineReason.BUSY:
            today = local_date(responded, invitation.owner.profile.zone)
            details["busy_until"] = today + dt.timedelta(weeks=rng.choice([2, 3, 4]))
    elif action == "accept":
        details = {"interview_at": responded + dt.timedelta(days=3), "channel": Channel.EMAIL}
    respond(invitation, now=responded, action=action, **details)
