"""Benchmark of the sweep: is the set-based guard close to what the database can do?

    nice .venv/bin/python -m bench.sweep                  # SQLite, var/bench-sweep.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noghost_bench \\
        nice .venv/bin/python -m bench.sweep              # PostgreSQL (a database of its own)
    nice .venv/bin/python -m bench.sweep --scale 0.01     # quick: 10,000 rows, 100 users

At --scale 1: 1,000,000 invitations of 10,000 users (100 each), 10,000 of them newly due (one
per user); the rest answered, not yet due, or flagged long ago (built by bench/sweep_world.py).
Measured in one run:
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

from bench import ROOT, add_scale, write_results
from bench.sweep_world import NOW, analyze, build, empty_database, engine_version, setup_django

GOALS = {"ratio": 3.0, "nothing_due_ms": 50.0, "peak_mb": 250.0}


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
    out = write_results(f"sweep-{figures['vendor']}.json", figures, args.scale)
    print(table(figures))
    print(f"written to {out.relative_to(ROOT)}")
    return figures


if __name__ == "__main__":
    main()
