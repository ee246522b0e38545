"""`make bench` (`python -m bench`): every benchmark runs, each in a process of its own."""

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import bench
from bench.__main__ import BENCHMARKS

ROOT = Path(__file__).resolve().parents[2]


def test_the_runner_lists_every_benchmark_module_and_only_those():
    modules = [info.name for info in pkgutil.iter_modules(bench.__path__) if not info.name.startswith("_")]
    with_main = {name for name in modules if hasattr(importlib.import_module(f"bench.{name}"), "main")}

    assert set(BENCHMARKS) == with_main  # bench.world, a helper, has none


def test_two_benchmarks_with_different_settings_run_one_after_the_other():
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", "dashboard,sweep"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stdout + done.stderr
    # In the runner's order, not the order asked, each telling where its figures went.
    assert done.stdout.index("== bench.sweep") < done.stdout.index("== bench.dashboard")
    assert "results: var/bench-results/sweep-sqlite.json" in done.stdout
    assert "results: var/bench-results/dashboard-sqlite.json" in done.stdout


def test_a_count_given_as_the_scale_is_refused_not_run():
    done = subprocess.run([sys.executable, "-m", "bench.dashboard", "--scale", "100000"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)

    assert done.returncode == 2
    assert "not a fraction of the full size" in done.stderr
