"""The soak's child processes (`python -m bench.soak --role seed|traffic`): the seeding, then the traffic.

They set Django up on the soak database; the orchestrator that starts them (bench/soak.py) never does.
"""

import datetime as dt
import io
import json
import os
import random
import sys
import time

from bench import ROOT, soak_audit

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "America/Los_Angeles", "UTC"]
# name -> (func, seconds after the start the first run is due): two of each run in step.
SCHEDULES = {
    "soak: sweep A": ("invitations.tasks.sweep", 0),
    "soak: sweep A twin": ("invitations.tasks.sweep", 0),
    "soak: sweep B": ("invitations.tasks.sweep", 30),
    "soak: digests A": ("invitations.tasks.send_digests", 10),
    "soak: digests A twin": ("invitations.tasks.send_digests", 10),
    "soak: digests B": ("invitations.tasks.send_digests", 40),
}


def setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(users, duration):
    """Users, profiles, invitations with deadlines before, during and after the run, the schedules."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_q.brokers import get_broker
    from django_q.models import Schedule

    from invitations.models import Client, FollowUp, FollowUpKind, Invitation, Profile, Status

    rng = random.Random(8)
    # The workers need ~20 s to start: deadlines "during the run" fall after that.
    start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=20)
    User = get_user_model()
    with transaction.atomic():
        owners = User.objects.bulk_create(
            User(username=f"soak{n:04}", email=f"soak{n:04}@example.com", password="!") for n in range(users)
        )
        profiles = []
        for n, owner in enumerate(owners):
            zone = ZONES[n % len(ZONES)]
            profile = Profile(user=owner, timezone=zone, digest_enabled=n % 10 != 3, nudges_enabled=n % 10 != 7)
            # Two in three users are due for today's digest (their hour has come), the rest are not.
            local_hour = start.astimezone(profile.zone).hour
            profile.digest_hour = local_hour if n % 3 else min(23, local_hour + 2)
            profiles.append(profile)
        Profile.objects.bulk_create(profiles)
        clients = Client.objects.bulk_create(Client(owner=o, name=f"Client of {o.username}") for o in owners)
        invitations = []
        for owner, client in zip(owners, clients):
            received = start - dt.timedelta(days=2)
            deadlines = [
                start - dt.timedelta(minutes=rng.randint(1, 600)),  # overdue already
                start + dt.timedelta(seconds=rng.uniform(0, duration)),  # falls due during the run
                start + dt.timedelta(seconds=rng.uniform(0, duration)),
                start + dt.timedelta(days=1),  # after it
            ]
            invitations += [Invitation(owner=owner, client=client, title=f"Job {k}", received_at=received,
                                       reply_by=deadline) for k, deadline in enumerate(deadlines)]
            invitations.append(Invitation(owner=owner, client=client, title="Answered", received_at=received,
                                          reply_by=received + dt.timedelta(days=1), status=Status.DECLINED,
                                          responded_at=received + dt.timedelta(hours=3), decline_reason="rate"))
        invitations = Invitation.objects.bulk_create(invitations, batch_size=2000)
        FollowUp.objects.bulk_create(
            (FollowUp(owner_id=inv.owner_id, kind=FollowUpKind.REPLY, invitation=inv, client_id=inv.client_id,
                      due_at=inv.reply_by, done_at=inv.responded_at) for inv in invitations),
            batch_size=2000,
        )
        with connection.cursor() as cursor:
            cursor.execute(soak_audit.TRIGGERS_SQL)
        call_command("setup_schedules", stdout=io.StringIO())  # the real names, by the real command ...
        Schedule.objects.all().delete()  # ... then the soak's own, every minute
        for name, (func, offset) in SCHEDULES.items():
            Schedule.objects.create(name=name, func=func, schedule_type=Schedule.MINUTES, minutes=1, repeats=-1,
                                    next_run=start + dt.timedelta(seconds=offset))
    get_broker().purge_queue()
    print(json.dumps({"start": start.isoformat(), "invitations": len(invitations)}))


def answer(invitation, *, now, rng):
    """Accept, decline (some busy for a while, which opens a reconnect) or withdraw an open
    invitation through `respond`, as the page does: it locks the row the sweep may be flagging."""
    from invitations.answers.respond import respond
    from invitations.clock import local_date
    from invitations.models import DeclineReason

    action, options = rng.choice(["accept", "decline", "withdrawn"]), {}
    if action == "decline" and rng.random() < 0.3:
        options["busy_until"] = local_date(now, invitation.owner.profile.zone) + dt.timedelta(days=rng.randint(7, 28))
    elif action == "decline":
        options["reason"] = rng.choice([DeclineReason.RATE, DeclineReason.NOT_A_FIT, DeclineReason.REMOTE])
    respond(invitation, now=now, action=action, **options)


def traffic(duration):
    """The fourth process: log new invitations (some due during the run, some logged late, some
    referred) and answer open ones, flagged or not, until the run is over. Prints its counts as JSON."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from invitations.intake.log import log_invitation
    from invitations.models import Invitation, Status

    rng = random.Random(os.getpid())
    owners = list(get_user_model().objects.order_by("pk").values_list("pk", flat=True))
    counts = {"logged": 0, "logged_late": 0, "answered": 0}
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        now = dt.datetime.now(dt.timezone.utc)
        owner = get_user_model().objects.select_related("profile").get(pk=rng.choice(owners))
        if rng.random() < 0.5:
            late = rng.random() < 0.2
            received = now - dt.timedelta(days=2) if late else now
            reply_by = now - dt.timedelta(minutes=5) if late else now + dt.timedelta(seconds=rng.uniform(5, duration))
            referrer = f"Referrer {rng.randint(1, 5)}" if rng.random() < 0.2 else None
            log_invitation(owner, now=now, client=f"Walk-in {rng.randint(1, 50)}", title="New",
                           received_at=received, reply_by=reply_by, referred_by=referrer)
            counts["logged_late" if late else "logged"] += 1
        else:
            invitation = Invitation.objects.filter(owner=owner, status=Status.OPEN).select_related(
                "owner__profile").order_by("?").first()
            if invitation is not None:
                answer(invitation, now=now, rng=rng)
                counts["answered"] += 1
        connection.close_if_unusable_or_obsolete()
        time.sleep(0.05)
    print(json.dumps(counts))
