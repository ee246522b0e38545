"""python -m bench [--quick] [--only NAME,...]: every benchmark, each in a process of its own.

Each benchmark sets Django up for itself (its own settings and database), so they never share
a process. Without --quick each runs at its full, documented size (the figures the README
quotes, written to bench/results/); --quick runs each small (to var/bench-results/). With
DATABASE_URL=postgres://.../<name with "bench"> they run on PostgreSQL, emptying it; the
scaling curve needs PostgreSQL and the soak PostgreSQL + REDIS_URL, and say so when skipped.
"""

import argparse
import os
import subprocess
import sys
import time

from bench import QUICK_RESULTS, RESULTS, ROOT, require_bench_database

# In this order: the domain's hot paths first, then the pages, then the long PostgreSQL runs.
# name -> arguments of its quick run. The digest always empties the benchmark database (--reset).
BENCHMARKS = {
    "sweep": ["--scale", "0.01"],
    "digest": ["--scale", "0.01"],
    "capture": ["--scale", "0.01"],
    "dashboard": ["--scale", "0.01", "--requests", "10"],
    "import_csv": ["--scale", "0.01"],
    "web_load": ["--scale", "0.01", "--duration", "15"],
    "scaling": ["--scale", "0.01"],
    "soak": ["--scale", "0.1", "--duration", "60"],
}
ALWAYS = {"digest": ["--reset"]}


def names(text):
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    return chosen


def written_since(moment):
    """Result files written since `moment` (seconds since the epoch)."""
    files = [path for folder in (RESULTS, QUICK_RESULTS) if folder.exists() for path in folder.iterdir()]
    return sorted(str(path.relative_to(ROOT)) for path in files if path.stat().st_mtime >= moment)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--quick", action="store_true", help="small runs (about 1%% of full size), results in "
                                                              "var/bench-results/")
    parser.add_argument("--only", type=names, default=list(BENCHMARKS), metavar="NAME,...",
                        help=f"these benchmarks only (default all, in this order: {', '.join(BENCHMARKS)})")
    args = parser.parse_args(argv)
    require_bench_database()
    failed = []
    for name in [name for name in BENCHMARKS if name in args.only]:
        command = [sys.executable, "-m", f"bench.{name}", *(BENCHMARKS[name] if args.quick else []),
                   *ALWAYS.get(name, [])]
        print(f"== bench.{name}: {' '.join(command[1:])}", flush=True)
        started = time.time()
        status = subprocess.run(command, cwd=ROOT, env=os.environ.copy()).returncode
        for path in written_since(started):
            print(f"   results: {path}")
        if status:
            failed.append(name)
            print(f"   bench.{name} FAILED (exit {status})", flush=True)
        print(f"   {time.time() - started:.0f} s", flush=True)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
