"""Soak: three real qcluster workers on PostgreSQL + Redis, one killed mid-run, nothing done twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noghost REDIS_URL=redis://127.0.0.1:6379/0 \\
        nice .venv/bin/python -m bench.soak --duration 180

The soak gets a database of its own, `<DATABASE_URL's name>_soak`, dropped and created afresh
and migrated by `manage.py migrate`: the workers are separate processes, so they need committed
data in a database every process can open, and a throwaway database can carry audit triggers
and be left behind for a look after a failure without touching the caller's data or the test
database. It seeds 2,000 users in six zones, each with invitations whose reply-by falls before,
during and after the run, and digests due (or not) today; registers the schedules by name and
then runs each sweep and digest schedule every minute, several of them in step so two workers
run them at the same moment. Three `manage.py qcluster` processes with the Redis broker and a
fourth that keeps logging and answering invitations through the domain's own functions
(`log_invitation`, `respond`: the row locks the sweep meets are the real ones) run for
--duration seconds; one worker is SIGKILLed (its whole process group, like a machine that dies)
while it runs a task. Then the
rest are stopped with SIGTERM and `check` verifies, from the rows and from triggers that logged
every change of `flagged_at` and of an e-mail's state:
- every invitation overdue before the last sweep and still open is flagged, exactly once, and
  no flag ever changed or went away;
- each user got one nudge per sweep that flagged something of theirs, never more;
- one digest per user per local day, for every user due, none for a user not yet due;
- no open follow-up twice for one (invitation, kind);
- no e-mail sent twice (one `sent` transition per row, and the mail files hold no more messages
  than the sent rows plus those handed over and now `sending` or `unsure`); rows left `sending`
  were claimed before the kill; nothing queued is left behind by a later run (once claims lapse);
- no ERROR or Traceback in any worker's log (the killed one's up to the kill), and the
  survivors stopped cleanly.
Results: soak-postgresql.json (bench/results/ at --scale 1, else var/bench-results/) and a
summary on stdout; the exit status is 1 on any problem.
"""

import argparse
import datetime as dt
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench import ROOT, add_scale, results_file, soak_audit

USERS = 2000
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "America/Los_Angeles", "UTC"]
WORKERS = 3
# name -> (func, seconds after the start the first run is due): two of each run in step.
SCHEDULES = {
    "soak: sweep A": ("invitations.tasks.sweep", 0),
    "soak: sweep A twin": ("invitations.tasks.sweep", 0),
    "soak: sweep B": ("invitations.tasks.sweep", 30),
    "soak: digests A": ("invitations.tasks.send_digests", 10),
    "soak: digests A twin": ("invitations.tasks.send_digests", 10),
    "soak: digests B": ("invitations.tasks.send_digests", 40),
}
SEPARATOR = "-" * 79  # between messages in Django's file-based mail backend
STOP_TIMEOUT = 90

# --- the orchestrator (no Django in this process: everything runs in children) -------------------

def soak_database_url(url):
    """The caller's PostgreSQL URL with `_soak` appended to the database name."""
    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    return f"{base}/{name if name.endswith('_soak') else name + '_soak'}"


def recreate_database(url):
    """Drop and create the soak database; refuses a name that does not end in `_soak`."""
    import psycopg

    base, _, name = url.rpartition("/")
    if not name.endswith("_soak"):
        raise SystemExit(f"refusing to recreate {name!r}: the soak's database name ends in '_soak'")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def child_env(database_url, redis_url, mail_dir):
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "crm.settings", "NOGHOST_ENV_FILE": "/nonexistent",
        "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "soak-" + "x" * 50, "DEBUG": "0",
        "EMAIL_URL": f"filemail:///{mail_dir}", "Q_WORKERS": "2", "LOG_LEVEL": "INFO",
    }
    env.pop("EMAIL_BACKEND", None)
    return env


def run_child(role, env, *args, timeout=600):
    done = subprocess.run([sys.executable, "-m", "bench.soak", "--role", role, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"bench.soak --role {role} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start_worker(number, env, workdir):
    log = (workdir / f"worker-{number}.log").open("w")
    mail_dir = workdir / "mail" / f"worker-{number}"
    mail_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env={**env, "EMAIL_URL": f"filemail:///{mail_dir}"},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    process.log_path, process.log = workdir / f"worker-{number}.log", log
    return process


def kill_while_busy(worker, *, wait):
    """SIGKILL the worker's whole process group as soon as it starts a task (or after `wait` s)."""
    seen = worker.log_path.read_text().count(" processing ")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and worker.log_path.read_text().count(" processing ") == seen:
        time.sleep(0.05)
    busy = worker.log_path.read_text().count(" processing ") > seen
    time.sleep(random.uniform(0, 0.3))  # somewhere inside the task, not always at its first query
    killed_at = dt.datetime.now(dt.timezone.utc)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    return killed_at, busy


def stop(workers):
    for worker in workers:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for worker in workers:
        try:
            worker.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        worker.log.close()


def log_problems(worker, *, killed=False):
    """Errors in a worker's log (all of the killed one's was written before the kill), and a
    survivor that did not stop cleanly; returns (problems, tasks it started)."""
    text = worker.log_path.read_text()
    problems = [f"{worker.log_path.name}: {line.strip()}" for line in text.splitlines()
                if "ERROR" in line or "Traceback" in line]
    if not killed and worker.returncode != 0:
        problems.append(f"{worker.log_path.name}: exit status {worker.returncode} after SIGTERM")
    return problems, text.count(" processing ")


def unfinished_tasks(worker):
    """The functions the worker had started and not finished: what the kill interrupted."""
    text = worker.log_path.read_text()
    finished = set(re.findall(r"Processed '[^']+' \((\S+)\)", text))
    return [func for name, func in re.findall(r" processing (\S+) '([^']+)'", text) if name not in finished]


def mail_messages(mail_dir):
    return sum(path.read_text(errors="replace").count(f"\n{SEPARATOR}\n") for path in mail_dir.rglob("*.log"))


def run(*, duration=180, users=USERS, workdir, database_url=None, redis_url=None, kill_at=0.4):
    """The whole soak; returns its report (a dict whose "problems" list is empty when it passed)."""
    database_url = soak_database_url(database_url or os.environ["DATABASE_URL"])
    redis_url = redis_url or os.environ["REDIS_URL"]
    workdir = Path(workdir).resolve()  # absolute: filemail:/// + an absolute path
    workdir.mkdir(parents=True, exist_ok=True)
    env = child_env(database_url, redis_url, workdir / "mail" / "traffic")
    started = time.monotonic()
    recreate_database(database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,
                   timeout=300)
    start = json.loads(run_child("seed", env, "--users", str(users), "--duration", str(duration)))["start"]
    seeded_s = time.monotonic() - started

    workers = [start_worker(n, env, workdir) for n in range(1, WORKERS + 1)]
    traffic = subprocess.Popen(
        [sys.executable, "-m", "bench.soak", "--role", "traffic", "--duration", str(duration)], cwd=ROOT, env=env,
        stdout=(workdir / "traffic.log").open("w"), stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(duration * kill_at)
        killed_at, busy = kill_while_busy(workers[0], wait=45)
        traffic.wait(timeout=duration + 120)
    finally:
        if traffic.poll() is None:
            traffic.kill()
        stop(workers)
    report = json.loads(run_child("check", env, "--start", start, "--killed-at", killed_at.isoformat()))
    report["problems"] += [f"traffic process exited with {traffic.returncode}"] if traffic.returncode else []
    report["tasks_started_per_worker"] = []
    for worker in workers:
        problems, tasks = log_problems(worker, killed=worker is workers[0])
        report["problems"] += problems
        report["tasks_started_per_worker"].append(tasks)
    report["mail_messages"] = mail_messages(workdir / "mail")
    low = report["emails"].get("sent", 0)  # and at most those handed over whose answer is unknown:
    high = low + report["emails"].get("sending", 0) + report["emails"].get("unsure", 0)
    if not low <= report["mail_messages"] <= high:
        report["problems"].append(f"{report['mail_messages']} messages in the mail files for {low} sent rows "
                                  f"and {high - low} left sending or unsure")
    report.update(duration_s=duration, users=users, killed_while_busy=busy, killed_in=unfinished_tasks(workers[0]),
                  workers=WORKERS,
                  seed_s=round(seeded_s, 1), total_s=round(time.monotonic() - started, 1),
                  database=database_url.rpartition("/")[2], workdir=str(workdir))
    traffic_summary = (workdir / "traffic.log").read_text().strip().splitlines()
    report["traffic"] = json.loads(traffic_summary[-1]) if traffic_summary else {}
    return report


# --- the children: Django set up on the soak database ------------------------------------------

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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=180, help="seconds the workers run (default 180)")
    add_scale(parser, f"{USERS:,} users")
    parser.add_argument("--users", type=int, help=argparse.SUPPRESS)  # the seeding child's, from --scale
    parser.add_argument("--workdir", default=str(ROOT / "var" / "soak"), help="logs and mail files")
    parser.add_argument("--role", choices=["seed", "traffic", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--start", help=argparse.SUPPRESS)
    parser.add_argument("--killed-at", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.role:
        setup_django()
        if args.role == "seed":
            return seed(args.users, args.duration)
        if args.role == "traffic":
            return traffic(args.duration)
        return print(json.dumps(soak_audit.check(args.start, args.killed_at)))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        print("bench.soak needs DATABASE_URL=postgres://... and REDIS_URL=redis://...: skipped")
        return None
    report = run(duration=args.duration, users=max(1, round(USERS * args.scale)), workdir=args.workdir)
    out = results_file("soak-postgresql.json", args.scale)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(f"written to {out.relative_to(ROOT)}")
    if report["problems"]:
        sys.exit(1)
    return report


if __name__ == "__main__":
    main()
