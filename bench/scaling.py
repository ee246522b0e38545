"""The scaling curve of the sweep and the digest on PostgreSQL: 10,000 to 1,000,000 invitations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noghost_bench \\
        nice .venv/bin/python -m bench.scaling --sizes 10000,100000,1000000

For each size it builds bench/sweep_world.py's world (100 invitations per user: one newly due, two
not yet due, two flagged long ago, 95 answered; so 100 to 10,000 users) in a database it empties
(whose name must contain "bench"), then times, one after the other on that world:
- the sweep that flags every newly due invitation and nudges each user once (rendered, queued
  and sent through the in-memory mail backend);
- the sweep when nothing is due (median of 5): the every-five-minutes cost of a quiet day;
- the digest run that finds every user due and sends each their digest.
--scale multiplies the sizes (0.01: 100 to 10,000 invitations). Writes scaling-postgresql.json
and scaling-postgresql.png (bench/results/ at --scale 1, else var/bench-results/).
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time

from bench import ROOT, add_scale, write_results
from bench import sweep_world as world
from bench.sweep import timed


def measure(size):
    """Build a world of `size` invitations and time the sweep and the digest on it."""
    from django.core import mail

    from invitations.reminders.digests import send_due_digests
    from invitations.reminders.sweep import sweep

    users = max(1, size // world.PER_USER)
    world.empty_database()
    build_s, invitations = timed(world.build, users)
    sweep_s, swept = timed(sweep, world.NOW)
    assert (swept.flagged, swept.nudged, swept.failed) == (users, users, 0), swept
    quiet = statistics.median(timed(sweep, world.NOW)[0] for _ in range(5))
    mail.outbox = []
    world.analyze()
    digest_s, digests = timed(send_due_digests, world.NOW)
    assert digests.sent == users and digests.failed == 0, digests.summary
    mail.outbox = []
    row = {
        "invitations": invitations, "users": users, "build_s": round(build_s, 1),
        "sweep_s": round(sweep_s, 3), "sweep_nothing_due_ms": round(quiet * 1000, 2),
        "digest_s": round(digest_s, 3), "digests_per_s": round(users / digest_s, 1),
    }
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    sizes = [row["invitations"] for row in rows]
    figure, axes = pyplot.subplots(figsize=(7, 4.2), dpi=120)
    axes.plot(sizes, [row["sweep_s"] for row in rows], "o-", label="sweep: flag + nudge every user (1 due each)")
    axes.plot(sizes, [row["digest_s"] for row in rows], "s-", label="digest run: every user due")
    axes.plot(sizes, [row["sweep_nothing_due_ms"] / 1000 for row in rows], "^--", label="sweep, nothing due")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("invitations in the database (100 per user)")
    axes.set_ylabel("seconds (log scale)")
    axes.set_title("noghost on PostgreSQL: the sweep and the digest as the data grows")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8, loc="center right")
    for row in rows:
        axes.annotate(f"{row['users']:,} users", (row["invitations"], row["digest_s"]), textcoords="offset points",
                      xytext=(-22, -14), fontsize=7, color="0.35")
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)


def table(rows):
    lines = [f"{'invitations':>12} {'users':>7} {'sweep s':>8} {'quiet ms':>9} {'digest s':>9} {'digests/s':>10}"]
    lines += [f"{r['invitations']:>12,} {r['users']:>7,} {r['sweep_s']:>8.2f} {r['sweep_nothing_due_ms']:>9.1f} "
              f"{r['digest_s']:>9.2f} {r['digests_per_s']:>10.1f}" for r in rows]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="invitation counts at --scale 1, comma-separated (default 10000,100000,1000000)")
    add_scale(parser, "the --sizes as given")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench.scaling measures PostgreSQL: set DATABASE_URL=postgres://.../<name with 'bench'>; skipped")
        return None
    started = time.perf_counter()
    world.setup_django()
    from django.db import connection

    rows = [measure(max(1, round(int(size) * args.scale))) for size in args.sizes.split(",")]
    figures = {"vendor": connection.vendor, "engine_version": world.engine_version(), "cpus": os.cpu_count(),
               "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "rows": rows}
    out = write_results("scaling-postgresql.json", figures, args.scale)
    plot(rows, out.with_suffix(".png"))
    print(table(rows))
    print(f"written to {out.relative_to(ROOT)} and {out.with_suffix('.png').relative_to(ROOT)}")
    print(f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return figures


if __name__ == "__main__":
    main()
