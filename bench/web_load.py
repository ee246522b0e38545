"""Load on the web side: gunicorn + WhiteNoise under wrk, with a worker sweeping beside it.

    .venv/bin/python -m bench.web_load                  # 100,000 invitations, 20 s per page
    .venv/bin/python -m bench.web_load --scale 0.01 --duration 15    # quick: 1,000 invitations

Seeds one user with 100,000 invitations at --scale 1 (a fresh SQLite file under var/, or the
DATABASE_URL database, emptied first: its name must contain "bench"), registers the schedules
with one-minute intervals, starts gunicorn with the production gunicorn.conf.py and `qcluster`,
then drives `/`, the quick-add page (GET, and POST logging a new invitation each time) and a
static file with wrk (apt-get install wrk) from a second process on loopback, logged in.
Prints and saves requests per second, median and p95 latency, the responses by status, and the
sweeps and digest runs the worker did during the load (django-q2's task results); the worker's
scheduler looks every 30 s, so the load (4 x --duration) should last a minute or more.
Exits 1 on any GET answered other than 200, any POST other than 302 (logged) or 200 (a form
error, counted when no invitation was logged), any socket error, no sweep during the load, a
failed task or an error in the worker's log. Results: web-<vendor>.json (bench/results/ at
--scale 1, else var/bench-results/).
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import ROOT, add_scale, require_bench_database, results_file

FULL_INVITATIONS = 100_000
CSRF = "loadtestcsrfsecret0123456789abcd"  # 32 characters: Django's cookie secret, sent back as the form field
WRK_POST = f"""
wrk.method = "POST"
wrk.body = "csrfmiddlewaretoken={CSRF}&client=Client+1&title=Load+test&platform=upwork"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""
# Counts the responses by status in each wrk thread, then adds them up and prints the percentiles.
WRK_REPORT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("STATUS %d %d\\n", status, n)) end
  io.write(string.format("P50_US %d\\nP95_US %d\\nP99_US %d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
OK_STATUSES = {"GET": {200}, "POST": {200, 302}}
JOBS = {"invitations.tasks.sweep": "sweeps", "invitations.tasks.send_digests": "digest_runs"}


def environment(args):
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SETTINGS_MODULE": "crm.settings", "NOGHOST_ENV_FILE": "/nonexistent", "LOG_LEVEL": "WARNING"}
    if not env.get("DATABASE_URL"):
        (ROOT / "var").mkdir(exist_ok=True)
        path = ROOT / "var" / "bench-web.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    return env


def seed(count):
    """One user, `count` invitations over a year, about 2% still open; returns a session cookie."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client as TestClient

    from invitations.models import Client, FollowUp, FollowUpKind, Invitation, Platform, Status

    user = get_user_model().objects.create_user("load", "load@example.com", "load-test-password")
    rng = random.Random(7)
    now = dt.datetime.now(dt.timezone.utc)
    clients = Client.objects.bulk_create([Client(owner=user, name=f"Client {i}") for i in range(500)])
    platforms, statuses = Platform.values, [Status.DECLINED] * 6 + [Status.ACCEPTED] * 2 + [Status.WITHDRAWN]
    batch = []
    for i in range(count):
        received = now - dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        is_open = rng.random() < 0.02
        batch.append(Invitation(
            owner=user, client=rng.choice(clients), title=f"Project {i}", platform=rng.choice(platforms),
            received_at=received, reply_by=received + dt.timedelta(hours=24),
            status=Status.OPEN if is_open else rng.choice(statuses),
            responded_at=None if is_open else received + dt.timedelta(hours=rng.randint(1, 40)),
        ))
        if len(batch) == 5000:
            Invitation.objects.bulk_create(batch)
            batch = []
    Invitation.objects.bulk_create(batch)
    FollowUp.objects.bulk_create(
        FollowUp(owner=user, kind=FollowUpKind.REPLY, invitation=inv, client_id=inv.client_id, due_at=inv.reply_by)
        for inv in Invitation.objects.filter(owner=user, status=Status.OPEN).only("pk", "client_id", "reply_by")
    )
    browser = TestClient()
    browser.force_login(user)
    return browser.cookies["sessionid"].value


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def wrk(url, cookie, args, script, method="GET"):
    """One wrk run against `url`: throughput, latency percentiles and the responses by status."""
    out = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s",
         "-s", script, "-H", f"Cookie: sessionid={cookie}; csrftoken={CSRF}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    socket_errors = re.search(r"Socket errors: (.*)", out)
    statuses = {int(code): int(n) for code, n in re.findall(r"STATUS (\d+) (\d+)", out)}
    return {
        "url": url,
        "method": method,
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": int(re.search(r"P50_US (\d+)", out).group(1)) / 1000,
        "p95_ms": int(re.search(r"P95_US (\d+)", out).group(1)) / 1000,
        "p99_ms": int(re.search(r"P99_US (\d+)", out).group(1)) / 1000,
        "statuses": statuses,
        "error_responses": sum(n for code, n in statuses.items() if code not in OK_STATUSES[method]),
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def schedule_every_minute(now):
    """The real schedules (setup_schedules), due now and then every minute, so the worker sweeps
    and sends digests during the load (a flush also wipes them on PostgreSQL)."""
    from django_q.models import Schedule

    from invitations.reminders.schedules import SCHEDULES, register_schedules

    register_schedules()
    Schedule.objects.filter(name__in=SCHEDULES).update(minutes=1, next_run=now)


def worker_runs(started, ended):
    """What the worker ran between `started` and `ended`: {"sweeps": n, "digest_runs": n, "failed_tasks": n}."""
    from django_q.models import Task

    tasks = Task.objects.filter(started__gte=started, started__lte=ended)
    runs = {label: tasks.filter(func=func, success=True).count() for func, label in JOBS.items()}
    return {**runs, "failed_tasks": tasks.filter(success=False).count()}


def problems_of(report, worker_log):
    """Everything that makes the run a failure (see the module docstring)."""
    problems = []
    for page in report["pages"]:
        name = f"{page['method']} {page['url']}"
        if page["error_responses"]:
            problems.append(f"{name}: {page['error_responses']} error response(s), by status {page['statuses']}")
        if page["socket_errors"]:
            problems.append(f"{name}: socket errors {page['socket_errors']}")
    if not report["worker"]["sweeps"]:
        problems.append("no sweep ran during the load (make it last a minute or more: --duration 15 or longer)")
    if report["worker"]["failed_tasks"]:
        problems.append(f"{report['worker']['failed_tasks']} task(s) failed in the worker")
    problems += [f"worker log: {line}" for line in worker_log.splitlines() if "ERROR" in line or "Traceback" in line]
    return problems


def run_load(base, cookie, args, processes):
    """wrk on each page in turn once the server answers, then stop `processes` whatever happened.

    Returns (the pages' results, when the load started, when it ended).
    """
    from invitations.models import Invitation

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as post_script:
        post_script.write(WRK_POST + WRK_REPORT)
    try:
        wait_for(f"{base}/accounts/login/")
        load_started = dt.datetime.now(dt.timezone.utc)
        results = [wrk(f"{base}{path}", cookie, args, script.name) for path in ("/", "/invitations/new/")]
        before = Invitation.objects.count()
        post = wrk(f"{base}/invitations/new/", cookie, args, post_script.name, method="POST")
        post["invitations_logged"] = Invitation.objects.count() - before
        if post["invitations_logged"] < post["requests"]:
            post["error_responses"] += post["requests"] - post["invitations_logged"]  # a form error is a 200
        results.append(post)
        results.append(wrk(f"{base}/static/css/app.css", cookie, args, script.name))
        load_ended = dt.datetime.now(dt.timezone.utc)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        for path in (script.name, post_script.name):
            Path(path).unlink(missing_ok=True)
    return results, load_started, load_ended


def print_report(report, base):
    """One line per page, then what the worker did meanwhile: the figures to read at a glance."""
    print(f"{'page':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for row in report["pages"]:
        page = f"{row['method']:5}{row['url'].replace(base, '')}"
        print(f"{page:28} {row['requests_per_second']:8.1f} {row['p50_ms']:8.1f} "
              f"{row['p95_ms']:8.1f} {row['error_responses']:7d}")
    worker = report["worker"]
    print(f"during the {report['load_s']} s of load the worker ran {worker['sweeps']} sweep(s) and "
          f"{worker['digest_runs']} digest run(s); {worker['failed_tasks']} task(s) failed")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.web_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_scale(parser, f"{FULL_INVITATIONS:,} invitations of one user")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page (default 20)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("bench.web_load drives the load with wrk: apt-get install wrk")
    invitations = max(1, round(FULL_INVITATIONS * args.scale))

    env = environment(args)
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    if not env["DATABASE_URL"].startswith("sqlite"):
        require_bench_database(env["DATABASE_URL"])
        subprocess.run([sys.executable, "manage.py", "flush", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    cookie = seed(invitations)
    print(f"seeded {invitations} invitations in {time.monotonic() - started:.1f} s")

    from django.db import connection

    base = f"http://127.0.0.1:{args.port}"
    schedule_every_minute(dt.datetime.now(dt.timezone.utc))
    worker_log = tempfile.TemporaryFile("w+")
    processes = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "crm.wsgi", "--config", "gunicorn.conf.py"], cwd=ROOT,
                         env={**env, "GUNICORN_BIND": f"127.0.0.1:{args.port}",
                              "WEB_CONCURRENCY": str(args.gunicorn_workers), "GUNICORN_LOG_LEVEL": "warning",
                              "GUNICORN_ACCESS_LOG": ""}),
        subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env={**env, "Q_WORKERS": "1"},
                         stdout=worker_log, stderr=subprocess.STDOUT),
    ]
    results, load_started, load_ended = run_load(base, cookie, args, processes)
    worker_log.seek(0)

    report = {"vendor": connection.vendor, "scale": args.scale, "invitations": invitations,
              "connections": args.connections, "gunicorn_workers": args.gunicorn_workers, "duration_s": args.duration,
              "load_s": round((load_ended - load_started).total_seconds(), 1),
              "worker": worker_runs(load_started, load_ended), "pages": results}
    report["problems"] = problems_of(report, worker_log.read())
    out = results_file(f"web-{connection.vendor}.json", args.scale)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print_report(report, base)
    print(f"written to {out.relative_to(ROOT)}")
    if report["problems"]:
        sys.exit("problems:\n" + "\n".join(f"- {problem}" for problem in report["problems"]))


if __name__ == "__main__":
    main()
