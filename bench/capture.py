"""Benchmark of capturing e-mail: is storing, reading and logging close to what parsing alone costs?

    nice .venv/bin/python -m bench.capture                    # SQLite, var/bench-capture.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noghost_bench \\
        nice .venv/bin/python -m bench.capture                # PostgreSQL (a database of its own)
    nice .venv/bin/python -m bench.capture --scale 0.01       # quick: 100 messages

At --scale 1: 10,000 messages from the test corpus (tests/intake/corpus/, 49 platform mails,
direct requests, forwards, alerts, reminders and withdrawals), each copy with its own
Message-ID, dealt out so that each of about 200 users gets the whole corpus once, in the table's
order (so reminders and withdrawals find their invitation). Measured in one run:
- capture() end to end, one message after another: messages/s (goal: at least 200 on SQLite);
- the same 10,000 only parsed by email.message_from_bytes(policy=default), unwrapped and put
  through the recognisers, no database: the limit, and the ratio to it (goal: within 3x);
- the peak RSS of the process (goal: under 250 MB);
- both also in CPU seconds (the process's own), and the machine's load average before and after:
  on a shared machine the wall clock measures the neighbours too;
- `manage.py receive_mail` as a subprocess with 4 concurrent loopback senders (smtplib, one
  connection each): messages/s acknowledged, and every acknowledged message counted in the
  database (none lost).
Results go to capture-<vendor>.json (bench/results/ at --scale 1, else var/bench-results/).
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import smtplib
import socket
import subprocess
import sys
import threading
import time
import zoneinfo
from collections import Counter
from pathlib import Path

from bench import ROOT, add_scale, write_results
from bench.sweep import empty_database

FULL = 10_000
SMTP_SHARE = 0.2  # of the messages, sent again over SMTP
SENDERS = 4
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
CORPUS = ROOT / "tests" / "intake" / "corpus"
GOALS = {"messages_per_second": 200.0, "ratio": 3.0, "peak_rss_mb": 250.0}


def setup_django():
    """The real settings on the benchmark's own database (a new SQLite file unless DATABASE_URL is set)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "crm.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ["DEBUG"] = "0"  # DEBUG would keep every query in memory
    os.environ.setdefault("INBOUND_DOMAIN", "in.noghost.bench")
    if not os.environ.get("DATABASE_URL"):
        database = ROOT / "var" / "bench-capture.sqlite3"
        database.parent.mkdir(exist_ok=True)
        for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def corpus():
    """The corpus's raw messages in the table's order (each prerequisite before what needs it)."""
    rows = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
    return [(CORPUS / row["file"]).read_bytes() for row in rows]


def varied(raw, n):
    """Copy `n` of a message: its own Message-ID (the first one, not an attached message's)."""
    return raw.replace(b"Message-ID: <", f"Message-ID: <bench{n}-".encode(), 1)


def make_users(count):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return [User.objects.create_user(f"capture{n:04}", f"capture{n:04}@example.com", None) for n in range(count)]


def messages(total, users):
    """(owner, raw) for `total` messages: user k gets the corpus's message k, k+1, ... in order."""
    files = corpus()
    return [(users[n // len(files) % len(users)], varied(files[n % len(files)], n)) for n in range(total)]


def parse_and_recognise(batch):
    """The limit: only parsing (email package, policy=default), unwrapping and the recognisers."""
    from invitations.intake.forwards import original
    from invitations.intake.reading import read
    from invitations.intake.recognisers.registry import recognise

    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    started, cpu = time.perf_counter(), time.process_time()
    for _, raw in batch:
        reading = read(raw)
        reading = original(reading, zone) or reading
        recognise(reading, received_at=reading.sent_at or NOW, zone=zone)
    return time.perf_counter() - started, time.process_time() - cpu


def capture_all(batch):
    from invitations.intake.capture import capture

    started, cpu = time.perf_counter(), time.process_time()
    for owner, raw in batch:
        capture(raw, owner=owner, now=NOW, via="pipe")
    return time.perf_counter() - started, time.process_time() - cpu


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_run(batch, users):
    """Send `batch` again (new Message-IDs) to receive_mail over SENDERS connections; the figures."""
    from django.conf import settings

    from invitations.intake.addresses import address_for
    from invitations.models import InboundMessage

    to = {user.pk: f"{address_for(user).token}@{settings.INBOUND_DOMAIN}" for user in users}
    port = free_port()
    log = (ROOT / "var" / "bench-capture-receive_mail.log").open("w")  # aiosmtpd logs every session
    server = subprocess.Popen([sys.executable, "manage.py", "receive_mail", "--port", str(port)], cwd=ROOT,
                              env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(port)
        acknowledged, failures = Counter(), Counter()
        shares = [batch[k::SENDERS] for k in range(SENDERS)]
        started = time.perf_counter()
        threads = [threading.Thread(target=send, args=(k, share, to, port, acknowledged, failures))
                   for k, share in enumerate(shares)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    stored = InboundMessage.objects.filter(via="smtp").count()
    sent = sum(acknowledged.values())
    return {"messages": len(batch), "senders": SENDERS, "acknowledged": sent, "refused_or_failed": sum(failures.values()),
            "stored": stored, "lost": sent - stored, "seconds": round(seconds, 2),
            "messages_per_second": round(sent / seconds, 1)}


def wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"receive_mail did not listen on port {port}")


def send(k, share, to, port, acknowledged, failures):
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for n, (owner, raw) in enumerate(share):
            try:
                smtp.sendmail("bench@example.com", [to[owner.pk]], raw.replace(b"<bench", f"<smtp{k}-{n}-".encode(), 1))
                acknowledged[k] += 1
            except smtplib.SMTPException:
                failures[k] += 1


def measure(scale):
    from django.db import connection

    from invitations.models import InboundMessage, Invitation

    empty_database()
    total = max(len(corpus()), round(FULL * scale))
    users = make_users(-(-total // len(corpus())))
    batch = messages(total, users)
    load = os.getloadavg()[0]
    limit, limit_cpu = parse_and_recognise(batch)
    seconds, cpu = capture_all(batch)
    print(f"capture: {total / seconds:.1f} messages/s; limit (parse and recognise alone): {total / limit:.1f}/s; "
          f"ratio {seconds / limit:.2f}x wall, {cpu / limit_cpu:.2f}x CPU", flush=True)
    states = Counter(InboundMessage.objects.values_list("state", flat=True))
    assert sum(states.values()) == total, states
    smtp = smtp_run(batch[:max(SENDERS, round(total * SMTP_SHARE))], users)
    figures = {
        "vendor": connection.vendor, "messages": total, "users": len(users),
        "capture_seconds": round(seconds, 2), "messages_per_second": round(total / seconds, 1),
        "parse_and_recognise_seconds": round(limit, 2), "parse_and_recognise_per_second": round(total / limit, 1),
        "ratio": round(seconds / limit, 2), "capture_cpu_seconds": round(cpu, 2),
        "parse_and_recognise_cpu_seconds": round(limit_cpu, 2), "ratio_cpu": round(cpu / limit_cpu, 2),
        "load_average": [round(load, 2), round(os.getloadavg()[0], 2)], "states": dict(states), "invitations": Invitation.objects.count(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), "smtp": smtp,
        "goals": GOALS, "python": platform.python_version(), "cpus": os.cpu_count(),
    }
    figures["met"] = {"messages_per_second": figures["messages_per_second"] >= GOALS["messages_per_second"],
                      "ratio": figures["ratio"] <= GOALS["ratio"], "peak_rss_mb": figures["peak_rss_mb"] < GOALS["peak_rss_mb"],
                      "nothing_lost": smtp["lost"] == 0 and smtp["refused_or_failed"] == 0}
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.capture", description=__doc__.split("\n\n")[0])
    add_scale(parser, f"{FULL:,} messages")
    args = parser.parse_args(argv)
    setup_django()
    figures = measure(args.scale)
    out = write_results(f"capture-{figures['vendor']}.json", figures, args.scale)
    print(json.dumps(figures, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
