"""Benchmarks (not part of the test suite): `python -m bench` runs them all, `python -m bench.<name>` one.

Every benchmark takes --scale, a fraction of its full size (1, the default, is the size the
README quotes; 0.01 is a quick check). Full-size figures go to bench/results/ (committed and
quoted in the docs); any other scale's go to var/bench-results/, so a quick check never
overwrites them.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
QUICK_RESULTS = ROOT / "var" / "bench-results"


def fraction(text):
    """--scale's type: a positive fraction of the full size (a count by mistake is refused, not run)."""
    value = float(text)
    if not 0 < value <= 10:
        raise argparse.ArgumentTypeError(f"{text} is not a fraction of the full size (0 < scale <= 10; 1 = full)")
    return value


def add_scale(parser, full):
    """The --scale option every benchmark shares; `full` says what 1 means for this one."""
    parser.add_argument("--scale", type=fraction, default=1.0, metavar="FRACTION",
                        help=f"fraction of the full size: 1 = {full} (default 1; 0.01 is a quick run)")


def results_file(name, scale):
    """Where a result file goes: bench/results/ at full scale, var/bench-results/ otherwise."""
    folder = RESULTS if scale == 1 else QUICK_RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def write_results(name, figures, scale):
    """Write a benchmark's figures as JSON to results_file(name, scale); returns the path."""
    out = results_file(name, scale)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return out


def require_bench_database(url=None):
    """Exit unless the database is SQLite or its name says it is for benchmarks (they empty it)."""
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    name = url.rpartition("/")[2].split("?")[0]
    if url and not url.startswith("sqlite") and "bench" not in name:
        sys.exit(f"refusing to empty database {name!r}: give the benchmarks their own (a name containing 'bench')")


def measure_whole_runs(settings):
    """Give a benchmark's run an hour's budget: a worker stops sending at its time budget
    (outbox.run_budget()) and leaves the rest to its next run; a benchmark measures all of it."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 3600}
