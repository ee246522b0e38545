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
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench import ROOT, add_scale, results_file, soak_audit, soak_children

USERS = 2000
WORKERS = 3
SEPARATOR = "-" * 79  # between messages in Django's file-based mail backend
STOP_TIMEOUT = 90

# This process is the orchestrator and never sets Django up: whatever needs it runs in a child,
# `--role seed` and `--role traffic` (bench/soak_children.py) and `--role check` (bench/soak_audit.py).


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
        soak_children.setup_django()
        if args.role == "seed":
            return soak_children.seed(args.users, args.duration)
        if args.role == "traffic":
            return soak_children.traffic(args.duration)
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
