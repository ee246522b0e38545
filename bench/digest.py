"""Benchmark: the daily digests of N users with 20 open items each, built and sent in one run.

    nice .venv/bin/python -m bench.digest --scale 1       # 10,000 users (the goal: < 2 min on SQLite)
    nice .venv/bin/python -m bench.digest --scale 0.1     # 1,000 users, a quick check
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noghost_bench nice .venv/bin/python -m bench.digest --reset

Without DATABASE_URL it uses a fresh SQLite file under var/. With DATABASE_URL it migrates that
database and refuses to touch one that has users unless --reset (which empties it, and only a
database whose name contains "bench"). The data is
written by a child process, so the peak memory reported is the digest run's own. Mail goes to
Django's in-memory backend, emptied after each batch (the test mailbox would otherwise hold
10,000 e-mails and measure itself). Results: digest-<vendor>.json (bench/results/ at --scale 1,
else var/bench-results/), and printed.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time

from django.core import mail
from django.core.mail.backends import locmem

from bench import ROOT, add_scale, measure_whole_runs, require_bench_database, write_results

FULL_USERS = 10_000
ITEMS = 20  # per user: 4 of each of the five kinds the digest lists
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
ZONES = ["Europe/Berlin", "America/New_York", "Pacific/Honolulu", "Pacific/Auckland", "Asia/Kolkata", "UTC"]
CHUNK = 1000


def setup_django():
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-digest.sqlite3'}"
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "bench.digest.MemoryBackend"
    measure_whole_runs(settings)


def populate(users, reset):
    """Write `users` users, each with 20 things that need attention today (child process)."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from invitations.models import Client, FollowUp, Invitation, Profile

    call_command("migrate", verbosity=0)
    User = get_user_model()
    if User.objects.exists():
        if not reset:
            sys.exit("The database has users; pass --reset to empty it for the benchmark.")
        require_bench_database()
        call_command("flush", interactive=False, verbosity=0)
    for start in range(0, users, CHUNK):
        with transaction.atomic():
            batch = User.objects.bulk_create([
                User(username=f"bench{i}", email=f"bench{i}@example.com", password="!")
                for i in range(start, min(start + CHUNK, users))
            ])
            Profile.objects.bulk_create(
                [Profile(user=u, timezone=ZONES[u.pk % len(ZONES)], digest_hour=0) for u in batch]
            )
            clients = Client.objects.bulk_create(
                [Client(owner=u, name=f"Client {k}") for u in batch for k in range(4)]
            )
            invitations = Invitation.objects.bulk_create(invitations_of(batch, clients))
            FollowUp.objects.bulk_create(followups_of(invitations))


def invitations_of(users, clients):
    """Each user's four clients, each with one invitation overdue, one due soon, one declined, one accepted."""
    from invitations.models import Invitation, Status

    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    invitations = []
    for n, u in enumerate(users):
        mine = clients[4 * n:4 * n + 4]
        for k, c in enumerate(mine):
            received = NOW - 3 * day
            invitations += [
                Invitation(owner=u, client=c, title=f"Overdue {k}", received_at=received,
                           reply_by=NOW - (k + 1) * hour),
                Invitation(owner=u, client=c, title=f"Due soon {k}", received_at=NOW - hour,
                           reply_by=NOW + (k + 2) * hour),
                Invitation(owner=u, client=c, title=f"Declined {k}", received_at=received,
                           reply_by=received + day, status=Status.DECLINED, responded_at=received + hour,
                           decline_reason="busy", busy_until=(NOW - day).date()),
                Invitation(owner=u, client=c, title=f"Interview {k}", received_at=received,
                           reply_by=received + day, status=Status.ACCEPTED, responded_at=received + hour,
                           interview_at=NOW + (k + 5) * hour),
            ]
    return invitations


def followups_of(invitations):
    """What the saved invitations owe: a reply for an open one, a due reconnect and a custom note for a decline."""
    from invitations.models import FollowUp, FollowUpKind, Status

    hour = dt.timedelta(hours=1)
    followups = []
    for inv in invitations:
        if inv.status == Status.OPEN:
            followups.append(FollowUp(owner_id=inv.owner_id, kind=FollowUpKind.REPLY, invitation=inv,
                                      client_id=inv.client_id, due_at=inv.reply_by))
        elif inv.status == Status.DECLINED:
            followups += [
                FollowUp(owner_id=inv.owner_id, kind=FollowUpKind.RECONNECT, invitation=inv,
                         client_id=inv.client_id, due_at=NOW - 2 * hour, note="Free again from today"),
                FollowUp(owner_id=inv.owner_id, kind=FollowUpKind.CUSTOM, client_id=inv.client_id,
                         due_at=NOW - hour, note="Send the portfolio"),
            ]
    return followups


def run(users):
    """Send the digests of every user; returns the figures."""
    setup_django()
    from django.db import connection

    from bench.digest import MemoryBackend  # the class settings.EMAIL_BACKEND names, not __main__'s
    from invitations.models import Digest
    from invitations.reminders.digests import send_due_digests

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = send_due_digests(NOW)
        seconds = time.perf_counter() - started
    items = set(Digest.objects.values_list("item_count", flat=True))
    assert result.sent == users == MemoryBackend.delivered, (result.summary, MemoryBackend.delivered)
    assert items == {ITEMS}, items
    return {
        "vendor": connection.vendor,
        "users": users,
        "items_per_user": ITEMS,
        "emails_sent": MemoryBackend.delivered,
        "seconds": round(seconds, 2),
        "users_per_second": round(users / seconds, 1),
        "queries": queries,
        "queries_per_user": round(queries / users, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }


class MemoryBackend(locmem.EmailBackend):
    """Django's in-memory backend, its mailbox emptied after each batch (see the module docstring)."""

    delivered = 0

    def send_messages(self, messages):
        count = super().send_messages(messages)
        MemoryBackend.delivered += count
        mail.outbox.clear()
        return count


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.digest", description=__doc__.split("\n\n")[0])
    add_scale(parser, f"{FULL_USERS:,} users with {ITEMS} items each")
    parser.add_argument("--reset", action="store_true", help="Empty the DATABASE_URL database first.")
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    users = max(1, round(FULL_USERS * args.scale))
    if args.populate:
        populate(users, args.reset)
        return
    if not os.environ.get("DATABASE_URL"):
        (ROOT / "var").mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (ROOT / "var" / f"bench-digest.sqlite3{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    child = [sys.executable, "-m", "bench.digest", "--populate", "--scale", str(args.scale)]
    subprocess.run(child + (["--reset"] if args.reset else []), check=True, cwd=ROOT)
    populate_seconds = round(time.perf_counter() - started, 1)
    figures = {**run(users), "populate_seconds": populate_seconds}
    out = write_results(f"digest-{figures['vendor']}.json", figures, args.scale)
    print(json.dumps(figures, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
