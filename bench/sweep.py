"""Benchmark of the sweep: is the set-based guard close to what the database can do?

    nice .venv/bin/python -m bench.sweep                  # SQLite, var/bench-sweep.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noghost_bench \\
        nice .venv/bin/python -m bench.sweep              # PostgreSQL (a database of its own)
    nice .venv/bin/python -m bench.sweep --scale 0.01     # quick: 10,000 rows, 100 users

At --scale 1: 1,000,000 invitations of 10,000 users (100 each), 10,000 of them newly due (one
per user); the rest answered, not yet due, or flagged long ago. Measured in one run:
- the sweep's flagging (users with nudges off) against the same flagging as one hand-written
  SQL UPDATE, alternately, median of --repeat runs: the ratio (goal: within 3x);
- the full sweep (flags, 10,000 nudges rendered, queued and sent through the locmem backend);
- the sweep when nothing is due (goal: under 50 ms), median of 5;
- the sweep's peak memory (goal: under 250 MB): Python's allocations traced with tracemalloc
  over a full sweep, and the peak RSS of a fresh process doing one full sweep.
SQLite runs without ANALYZE statistics, as a real installation does; PostgreSQL is vacuumed and
analysed between runs, as autovacuum would.
Results go to sweep-<vendor>.json (bench/results/ at --scale 1, else var/bench-results/) and a
table on stdout.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from bench import ROOT, add_scale, measure_whole_runs, require_bench_database, results_file

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
PER_USER = 100
GOALS = {"ratio": 3.0, "nothing_due_ms": 50.0, "peak_mb": 250.0}
INVITATION_COLUMNS = [
    "owner_id", "client_id", "title", "platform", "url", "notes", "received_at", "reply_by", "status", "flagged_at",
    "responded_at", "response_channel", "decline_reason", "response_message", "created_at", "updated_at",
]


def setup_django(*, keep_database=False):
    """The real settings on the benchmark's own database (new, unless `keep_database`), mail kept in memory."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "crm.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ["DEBUG"] = "0"  # DEBUG would keep every query in memory
    if not os.environ.get("DATABASE_URL"):
        database = ROOT / "var" / "bench-sweep.sqlite3"
        database.parent.mkdir(exist_ok=True)
        for leftover in () if keep_database else (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    measure_whole_runs(settings)


def empty_database():
    """Migrate, then empty: refuses a PostgreSQL database whose name does not say it is for benchmarks."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        require_bench_database(f"/{connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)


def build(users):
    """users x 100 invitations; one per user newly due. Returns the number of rows."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from invitations.models import Client, Invitation, Profile

    User = get_user_model()
    owners = User.objects.bulk_create(
        (User(username=f"user{n:05}", email=f"user{n:05}@example.com", password="!") for n in range(users)),
        batch_size=2000,
    )
    Profile.objects.bulk_create((Profile(user=owner, timezone="Europe/Berlin") for owner in owners), batch_size=2000)
    clients = Client.objects.bulk_create(
        (Client(owner=owner, name=f"Client of {owner.username}", company="Acme") for owner in owners), batch_size=2000
    )
    pairs = [(owner.pk, client.pk) for owner, client in zip(owners, clients)]
    rows = invitation_rows(pairs)
    table = Invitation._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_rows(cursor, table, rows)
        else:
            insert_rows(cursor, table, rows)
    analyze()
    return len(pairs) * PER_USER


def copy_rows(cursor, table, rows):
    """PostgreSQL: COPY, the fastest way in for millions of rows."""
    with cursor.cursor.copy(f"COPY {table} ({', '.join(INVITATION_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(cursor, table, rows):
    """SQLite: INSERTs in chunks of 50,000, so the lazily generated rows never all sit in memory."""
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value
    sql = f"INSERT INTO {table} ({', '.join(INVITATION_COLUMNS)}) VALUES ({', '.join(['%s'] * len(INVITATION_COLUMNS))})"
    chunk = []
    for row in rows:
        chunk.append([adapt(v) if isinstance(v, dt.datetime) else v for v in row])
        if len(chunk) == 50_000:
            cursor.executemany(sql, chunk)
            chunk = []
    cursor.executemany(sql, chunk)


def invitation_rows(pairs):
    """Invitation rows, generated lazily: slot 0 newly due, 1-2 not yet due, 3-4 flagged long
    ago, the rest answered over the last months."""
    minute, day = dt.timedelta(minutes=1), dt.timedelta(days=1)
    answered = ["accepted", "declined", "declined", "withdrawn"]
    for slot in range(PER_USER):
        for n, (owner_id, client_id) in enumerate(pairs):
            status, flagged_at, responded_at, channel, reason = "open", None, None, "", ""
            if slot == 0:
                received = NOW - day - (1 + n % 600) * minute
            elif slot < 3:
                received = NOW - (n % 600) * minute
            else:
                received = NOW - slot * 2 * day - (n % 1440) * minute
            reply_by = received + day
            if 3 <= slot < 5:
                flagged_at = reply_by + 5 * minute
            elif slot >= 5:
                status = answered[(n + slot) % len(answered)]
                responded_at, channel = received + 2 * dt.timedelta(hours=1), "email"
                reason = "busy" if status == "declined" else ""
            yield (owner_id, client_id, f"Job {slot}", "upwork", "", "", received, reply_by, status, flagged_at,
                   responded_at, channel, reason, "", received, received)


def analyze():
    """PostgreSQL's autovacuum keeps statistics; a SQLite install never runs ANALYZE, so neither do we."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def reset():
    """Undo a sweep: its flags, its mail, then let PostgreSQL clean up the dead row versions."""
    from invitations.models import Invitation, OutboundEmail

    Invitation.objects.filter(flagged_at=NOW).update(flagged_at=None)
    OutboundEmail.objects.all().delete()
    analyze()


def hand_update():
    """The same flagging as one statement: what the database alone needs."""
    from django.db import connection, transaction

    from invitations.models import Invitation

    moment = connection.ops.adapt_datetimefield_value(NOW)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Invitation._meta.db_table} SET flagged_at = %s"
            " WHERE status = 'open' AND flagged_at IS NULL AND reply_by <= %s",
            [moment, moment],
        )
        return cursor.rowcount


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def set_nudges(enabled):
    from invitations.models import Profile

    Profile.objects.update(nudges_enabled=enabled)


def measure(scale, repeat):
    from django.core import mail
    from django.db import connection

    from invitations.reminders.sweep import sweep

    users = max(1, round(10_000 * scale))
    started = time.perf_counter()
    empty_database()
    rows = build(users)
    build_s = time.perf_counter() - started
    print(f"built {rows:,} invitations of {users:,} users in {build_s:.1f} s", file=sys.stderr)

    set_nudges(False)
    analyze()
    hand, flag_only = [], []
    for _ in range(repeat):
        seconds, count = timed(hand_update)
        assert count == users, count
        hand.append(seconds)
        reset()
        seconds, result = timed(sweep, NOW)
        assert result.flagged == users and result.nudged == 0, result
        flag_only.append(seconds)
        reset()

    set_nudges(True)
    analyze()
    full_s, result = timed(sweep, NOW)
    assert (result.flagged, result.nudged, result.sent, result.failed) == (users, users, users, 0), result
    assert len(mail.outbox) == users
    nothing_due = [timed(sweep, NOW)[0] for _ in range(5)]

    reset()
    mail.outbox = []
    tracemalloc.start()
    result = sweep(NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.nudged == users, result
    reset()
    process = peak_rss_of_a_fresh_sweep()

    hand_s, flag_s = statistics.median(hand), statistics.median(flag_only)
    return {
        "vendor": connection.vendor,
        "engine_version": engine_version(),
        "scale": scale,
        "invitations": rows,
        "users": users,
        "newly_due": users,
        "build_s": round(build_s, 1),
        "repeat": repeat,
        "hand_update_s": round(hand_s, 4),
        "sweep_flagging_s": round(flag_s, 4),
        "ratio": round(flag_s / hand_s, 2),
        "sweep_full_s": round(full_s, 3),
        "sweep_full_ratio": round(full_s / hand_s, 1),
        "nothing_due_ms": round(statistics.median(nothing_due) * 1000, 2),
        "peak_mb": round(peak / 2**20, 1),
        "process_peak_mb": process["peak_mb"],
        "process_before_sweep_mb": process["before_mb"],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def peak_rss_of_a_fresh_sweep():
    """The whole process's peak memory (Python, Django, driver, C allocations) over one full
    sweep, in a fresh interpreter, so that building the data does not set the peak first."""
    child = subprocess.run(
        [sys.executable, "-m", "bench.sweep", "--one-sweep"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def one_sweep():
    """--one-sweep: run one full sweep on the database as built; print {before_mb, peak_mb}."""
    from invitations.reminders.sweep import sweep

    before = high_water_mark_kb()
    result = sweep(NOW)
    assert result.nudged > 0, result
    peak = high_water_mark_kb()
    print(json.dumps({"before_mb": round(before / 1024, 1), "peak_mb": round(peak / 1024, 1)}))


def high_water_mark_kb():
    """This process's peak RSS (VmHWM). Unlike ru_maxrss it starts afresh at exec, so the
    parent's memory at fork does not count."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def engine_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return cursor.fetchone()[0]


def table(figures):
    ok = lambda met: "ok" if met else "MISSED"  # noqa: E731
    lines = [
        f"sweep benchmark on {figures['vendor']} {figures['engine_version']}: {figures['invitations']:,} invitations, "
        f"{figures['users']:,} users, {figures['newly_due']:,} newly due",
        f"{'measure':<44}{'value':>14}  goal",
        f"{'hand-written UPDATE (median)':<44}{figures['hand_update_s'] * 1000:>11.1f} ms",
        f"{'sweep, flagging only (median)':<44}{figures['sweep_flagging_s'] * 1000:>11.1f} ms",
        f"{'ratio sweep / UPDATE':<44}{figures['ratio']:>13.2f}x  <= {GOALS['ratio']:.0f}x {ok(figures['ratio'] <= GOALS['ratio'])}",
        f"{'sweep with every user nudged (render+send)':<44}{figures['sweep_full_s']:>12.2f} s  (not a goal)",
        f"{'sweep, nothing due (median of 5)':<44}{figures['nothing_due_ms']:>11.2f} ms  < {GOALS['nothing_due_ms']:.0f} ms "
        f"{ok(figures['nothing_due_ms'] < GOALS['nothing_due_ms'])}",
        f"{'peak memory of a full sweep (tracemalloc)':<44}{figures['peak_mb']:>11.1f} MB  < {GOALS['peak_mb']:.0f} MB "
        f"{ok(figures['peak_mb'] < GOALS['peak_mb'])}",
        f"{'peak RSS of a process doing one full sweep':<44}{figures['process_peak_mb']:>11.1f} MB  "
        f"(of which {figures['process_before_sweep_mb']:.0f} MB before it began)",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.sweep", description=__doc__.split("\n\n")[0])
    add_scale(parser, "1,000,000 invitations of 10,000 users")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the flagging comparison (median)")
    parser.add_argument("--one-sweep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    setup_django(keep_database=args.one_sweep)
    if args.one_sweep:
        return one_sweep()
    figures = measure(args.scale, args.repeat)
    out = results_file(f"sweep-{figures['vendor']}.json", args.scale)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(table(figures))
    print(f"written to {out.relative_to(ROOT)}")
    return figures


if __name__ == "__main__":
    main()
