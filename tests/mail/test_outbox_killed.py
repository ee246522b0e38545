"""A real `manage.py send_digests` killed with SIGKILL mid-batch, then run again.

The delivery runs in a subprocess against a database both processes can open: on PostgreSQL
the test database itself (this test commits its writes), on SQLite a file of its own. The mail
server is the loopback one, slow to acknowledge, so the kill lands while a message is handed
over. What the server received is the proof: every digest exactly once, and at most the one
in flight when the process died left in doubt, shown as unsure, never sent a second time.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.support import smtp_faults

pytestmark = pytest.mark.django_db(transaction=True)
BASE_DIR = Path(__file__).resolve().parents[2]
USERS = 20
KILL_AFTER = 5  # messages the server has taken in when the process is killed

SEED = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from django.utils import timezone
from invitations.intake.log import log_invitation

now = timezone.now()
for n in range({USERS}):
    user = get_user_model().objects.create_user(f"killed{{n}}", f"killed{{n}}@example.com", "pw-for-tests-1")
    user.profile.digest_hour = 0
    user.profile.timezone = "UTC"
    user.profile.save()
    log_invitation(user, now=now, client="Acme", title="Overdue", received_at=now - dt.timedelta(days=2))
"""
# The next run comes after the dead run's claims have lapsed (outbox.lease()): age them, not the clock.
AGE_CLAIMS = """
import datetime as dt
from django.db.models import F
from invitations.models import OutboundEmail
OutboundEmail.objects.exclude(claimed_at=None).update(claimed_at=F("claimed_at") - dt.timedelta(minutes=10))
"""
REPORT = """
import json
from invitations.models import OutboundEmail
print(json.dumps(list(OutboundEmail.objects.order_by("pk").values_list("message_id", "state"))))
"""


def database_url(tmp_path):
    """The test database on PostgreSQL; a fresh migrated SQLite file otherwise."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}", False
    return f"sqlite:///{tmp_path / 'killed.sqlite3'}", True


def environment(url, port):
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "crm.settings", "DATABASE_URL": url, "SECRET_KEY": "killed-test-secret",
        "DEBUG": "0", "EMAIL_URL": "", "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_TIMEOUT": "5", "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    return env


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
                          capture_output=True, text=True, timeout=120).stdout


def kill_mid_batch(server, env):
    """Start send_digests, SIGKILL it once the server has taken KILL_AFTER messages (it is then
    waiting for the acknowledgement of the last), and return what it had printed."""
    run = subprocess.Popen([sys.executable, "manage.py", "send_digests"], cwd=BASE_DIR, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(server.received) < KILL_AFTER and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGKILL)
    output = run.communicate(timeout=10)[0].decode()
    assert run.returncode == -signal.SIGKILL, output  # killed, not finished
    return output


def test_a_run_killed_mid_batch_leaves_only_the_message_in_flight_in_doubt(tmp_path):
    url, fresh = database_url(tmp_path)
    with smtp_faults.FaultySMTPServer(smtp_faults.SLOW_ACK, delay=0.5) as server:
        env = environment(url, server.port)
        if fresh:
            manage("migrate", "--noinput", env=env)
        manage("shell", "-c", SEED, env=env)

        kill_mid_batch(server, env)
        assert len(server.received) == KILL_AFTER
        in_flight = server.message_ids[-1]  # taken in, its acknowledgement never read

        server.mode = smtp_faults.NORMAL
        manage("shell", "-c", AGE_CLAIMS, env=env)
        summary = manage("send_digests", env=env)
        rows = dict(json.loads(manage("shell", "-c", REPORT, env=env).splitlines()[-1]))

    assert len(rows) == USERS
    assert sorted(server.message_ids) == sorted(rows)  # every digest exactly once, none twice
    assert rows[in_flight] == "unsure"  # may have gone: shown to its owner, not sent again
    assert {mid: state for mid, state in rows.items() if mid != in_flight} == dict.fromkeys(set(rows) - {in_flight}, "sent")
    assert f"{USERS - KILL_AFTER} sent" in summary, summary
