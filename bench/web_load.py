"""Load on the web side: gunicorn + WhiteNoise under wrk, with a worker running beside it.

    .venv/bin/python -m bench.web_load --invitations 100000 --duration 20

Seeds one user with N invitations (a fresh SQLite file under var/, or the DATABASE_URL
database, emptied first: its name must contain "bench"), starts gunicorn with the production
gunicorn.conf.py and `qcluster`, then drives `/`, the quick-add page (GET, and POST logging a
new invitation each time) and a static file with wrk from a second process on loopback, logged
in. Prints and saves requests per second, median and p95 latency and the count of error
responses; every POST must have logged its invitation.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CSRF = "loadtestcsrfsecret0123456789abcd"  # 32 characters: Django's cookie secret, sent back as the form field
WRK_POST = f"""
wrk.method = "POST"
wrk.body = "csrfmiddlewaretoken={CSRF}&client=Client+1&title=Load+test&platform=upwork"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("P50_US %d\\nP95_US %d\\nP99_US %d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


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


def wrk(url, cookie, args, script):
    out = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s",
         "-s", script, "-H", f"Cookie: sessionid={cookie}; csrftoken={CSRF}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "url": url,
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": int(re.search(r"P50_US (\d+)", out).group(1)) / 1000,
        "p95_ms": int(re.search(r"P95_US (\d+)", out).group(1)) / 1000,
        "p99_ms": int(re.search(r"P99_US (\d+)", out).group(1)) / 1000,
        "error_responses": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invitations", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)

    env = environment(args)
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    if not env["DATABASE_URL"].startswith("sqlite"):
        if "bench" not in env["DATABASE_URL"].rpartition("/")[2]:
            sys.exit("refusing to empty DATABASE_URL: give the benchmark its own database (a name containing 'bench')")
        subprocess.run([sys.executable, "manage.py", "flush", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    cookie = seed(args.invitations)
    print(f"seeded {args.invitations} invitations in {time.monotonic() - started:.1f} s")

    from invitations.models import Invitation

    base = f"http://127.0.0.1:{args.port}"
    processes = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "crm.wsgi", "--config", "gunicorn.conf.py"], cwd=ROOT,
                         env={**env, "GUNICORN_BIND": f"127.0.0.1:{args.port}",
                              "WEB_CONCURRENCY": str(args.gunicorn_workers), "GUNICORN_LOG_LEVEL": "warning",
                              "GUNICORN_ACCESS_LOG": ""}),
        subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env={**env, "Q_WORKERS": "1"},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        wait_for(f"{base}/accounts/login/")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_REPORT)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as post_script:
            post_script.write(WRK_POST + WRK_REPORT)
        results = [wrk(f"{base}{path}", cookie, args, script.name) for path in ("/", "/invitations/new/")]
        before = Invitation.objects.count()
        post = {**wrk(f"{base}/invitations/new/", cookie, args, post_script.name), "method": "POST"}
        post["invitations_logged"] = Invitation.objects.count() - before
        if post["invitations_logged"] < post["requests"]:
            post["error_responses"] += post["requests"] - post["invitations_logged"]  # a form error is a 200
        results.append(post)
        static = wrk(f"{base}/static/css/app.css", cookie, args, script.name)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)

    from django.db import connection

    report = {"vendor": connection.vendor, "invitations": args.invitations, "connections": args.connections,
              "gunicorn_workers": args.gunicorn_workers, "duration_s": args.duration, "pages": results + [static]}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"web-{connection.vendor}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'page':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for row in report["pages"]:
        page = f"{row.get('method', 'GET'):5}{row['url'].replace(base, '')}"
        print(f"{page:28} {row['requests_per_second']:8.1f} {row['p50_ms']:8.1f} "
              f"{row['p95_ms']:8.1f} {row['error_responses']:7d}")


if __name__ == "__main__":
    main()
