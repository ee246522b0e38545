"""The real worker: `manage.py qcluster` as a subprocess fires the sweep schedule and flags an
overdue invitation, then stops cleanly on SIGTERM.

It always runs the embedded default, SQLite and the ORM broker, even in the PostgreSQL + Redis
CI run: the subprocess gets its own SQLite file and no REDIS_URL. What this test guards is our
side (the schedule's name, path and arguments resolve in a real worker, tasks run outside the
test process); the brokers themselves are django-q2's, and the domain, not the broker, makes
the sweep exactly-once (see test_sweep_races.py).
"""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.worker
BASE_DIR = Path(__file__).resolve().parents[2]
WAIT_FOR_FLAG = 90  # seconds; django-q2's scheduler first looks after ~30 s
WAIT_FOR_EXIT = 30

SEED = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule
from invitations.intake.log import log_invitation

now = timezone.now()
kiri = get_user_model().objects.create_user("kiri", "kiri@example.com", "pw-for-tests-1")
log_invitation(kiri, now=now, client="Acme", title="Overdue", received_at=now - dt.timedelta(days=2))
call_command("setup_schedules")
# Only the sweep is due in this test: it fires on the scheduler's first look.
Schedule.objects.filter(name="sweep every 5 minutes").update(next_run=now - dt.timedelta(minutes=1))
Schedule.objects.exclude(name="sweep every 5 minutes").update(next_run=now + dt.timedelta(hours=1))
"""


def worker_env(database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",  # not the test settings: those run tasks inline
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "worker-test-secret",
        "DEBUG": "0",
        "EMAIL_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "Q_WORKERS": "1",
    }
    env.pop("REDIS_URL", None)  # the ORM broker, whatever the surrounding run uses
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
        timeout=120,
    )


def query(database, sql):
    with sqlite3.connect(database, timeout=10) as db:
        return db.execute(sql).fetchall()


def wait_for_flags(database, worker):
    """The flagged invitations' flagged_at, polled each second until there is one, the worker has
    exited or WAIT_FOR_FLAG seconds have passed (then none)."""
    deadline = time.monotonic() + WAIT_FOR_FLAG
    flagged = []
    while not flagged and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(1)
        flagged = query(database, "SELECT flagged_at FROM invitations_invitation WHERE flagged_at IS NOT NULL")
    return flagged


def test_qcluster_fires_the_sweep_schedule_flags_the_overdue_invitation_and_stops_on_sigterm(tmp_path):
    database = tmp_path / "worker.sqlite3"
    env = worker_env(database)
    manage("migrate", "--noinput", env=env)
    manage("shell", "-c", SEED, env=env)
    log_path = tmp_path / "qcluster.log"

    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            flagged = wait_for_flags(database, worker)
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=WAIT_FOR_EXIT)
        finally:
            if worker.poll() is None:  # did not stop: do not leave it behind
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()

    output = log_path.read_text()
    assert flagged, f"no flag within {WAIT_FOR_FLAG} s; qcluster said:\n{output}"
    assert worker.returncode == 0, output
    assert "stopped" in output.lower()
    [(summary,)] = query(database, "SELECT last_summary FROM invitations_heartbeat WHERE job = 'sweep'")
    assert summary == "flagged 1 invitation, nudged 1 user, sent 1 e-mail, 0 failed"
    [(state,)] = query(database, "SELECT state FROM invitations_outboundemail WHERE kind = 'nudge'")
    assert state == "sent"
    assert query(database, "SELECT func FROM django_q_task WHERE success") == [("invitations.tasks.sweep",)]
    # The flag was set by the worker, moments ago (SQLite stores UTC text).
    flagged_at = dt.datetime.fromisoformat(flagged[0][0]).replace(tzinfo=dt.timezone.utc)
    assert dt.timedelta(0) <= dt.datetime.now(dt.timezone.utc) - flagged_at < dt.timedelta(seconds=WAIT_FOR_FLAG + 30)
