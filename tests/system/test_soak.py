"""The soak (bench/soak.py) as a test: three real qcluster workers on PostgreSQL + Redis for a few
minutes, one SIGKILLed mid-task, 2,000 users; nothing flagged, nudged, digested or sent twice.

It runs in the PostgreSQL + Redis pass of CI (`make test` with DATABASE_URL and REDIS_URL set)
and is skipped on the embedded default (SQLite), where one worker is the rule. Under CI=true
the PostgreSQL pass without REDIS_URL is a failure, not a skip (.ci/run itself fails when
PostgreSQL or Redis cannot be brought up). SOAK_SECONDS shortens or lengthens it (default 180).
The subprocesses use a database of their own (`<name>_soak`, see the module docstring of
bench/soak.py), not the test database: they must see committed data, and it is left behind
for a look after a failure.
"""

import os

import pytest

from bench import soak

pytestmark = pytest.mark.soak


@pytest.fixture
def services():
    """Skip on the embedded default (the SQLite pass); on PostgreSQL, Redis is required under CI."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("soak: needs DATABASE_URL=postgres://... and REDIS_URL (the PostgreSQL + Redis pass runs it)")
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI") == "true":
            pytest.fail("the soak must run in CI's PostgreSQL pass: REDIS_URL is not set")
        pytest.skip("soak: needs REDIS_URL=redis://... beside DATABASE_URL")


def test_three_workers_one_killed_mid_run_do_everything_once(services, tmp_path):
    report = soak.run(duration=int(os.environ.get("SOAK_SECONDS", 180)), workdir=tmp_path)

    assert report["problems"] == [], report
    # It did real work, on both sides of the kill, in every surviving worker.
    assert report["killed_while_busy"], report
    assert report["flagged"] > 2000 and report["flag_moments"] >= 3, report
    assert report["sweeps_after_kill"] >= 1, report
    assert report["nudges"] >= report["users_nudged"] > 1000, report
    assert report["digests"] > 1000 and report["digest_emails"] > 1000, report
    assert all(tasks > 0 for tasks in report["tasks_started_per_worker"]), report
    assert report["traffic"]["answered"] > 100 and report["traffic"]["logged"] > 100, report
