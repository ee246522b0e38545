"""`make run` as a newcomer uses it: it sets up, serves the login page, the demo user logs in,
and Ctrl-C stops the web server and the worker with nothing left running.

It runs on a throwaway SQLite file and env file (NOGHOST_ENV_FILE, so the checkout's .env is
neither written nor read), on a free port, with the virtualenv running this test: `make -o`
takes its install stamp as done, since the suite runs inside an installed venv already.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.smoke
ROOT = Path(__file__).resolve().parents[2]
WAIT_FOR_PAGE = 60  # seconds: migrate, collectstatic and seed_demo on a fresh database come first
# The worker stops gracefully: it lets a running task finish and closes its processes one by one,
# which on a loaded machine can take a while.
WAIT_FOR_EXIT = 90
USER, PASSWORD = "smoke-demo", "smoke-demo-password-1"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def group_commands(pgid):
    """The command lines of the live processes in process group `pgid`."""
    commands = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and os.getpgid(int(entry.name)) == pgid:
                state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
                if state != "Z":
                    commands.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (ProcessLookupError, FileNotFoundError):
            continue  # it ended while we looked
    return commands


def wait_for_login_page(url, process, log):
    deadline = time.monotonic() + WAIT_FOR_PAGE
    while time.monotonic() < deadline:
        assert process.poll() is None, f"make run exited with {process.returncode}:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {WAIT_FOR_PAGE} s:\n{log.read_text()}")


def wait_for_worker(process, log):
    """Wait until the worker says it is running, as a person watching the terminal would."""
    deadline = time.monotonic() + WAIT_FOR_PAGE
    while time.monotonic() < deadline:
        if "[noghost] running." in log.read_text():
            return
        assert process.poll() is None, f"make run exited with {process.returncode}:\n{log.read_text()}"
        time.sleep(0.2)
    pytest.fail(f"the worker did not start within {WAIT_FOR_PAGE} s:\n{log.read_text()}")


def wait_for_exit(process, log):
    """make's exit code; on a timeout, fail with what is still running and what make printed."""
    try:
        return process.wait(timeout=WAIT_FOR_EXIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make run still running {WAIT_FOR_EXIT} s after the signal: {group_commands(process.pid)}\n"
                    f"{log.read_text()}")


def log_in(base):
    """Log in through the login form like a browser; returns the page it lands on and its URL."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/accounts/login/", timeout=10) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    with opener.open(f"{base}/accounts/login/", data=form, timeout=30) as response:
        return response.status, response.url, response.read().decode()


@pytest.fixture
def make_run(tmp_path):
    """Starts `make run` on `port` in a process group of its own; kills whatever is left after the test."""
    venv = Path(sys.prefix)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'noghost.sqlite3'}",
           "NOGHOST_ENV_FILE": str(tmp_path / "noghost.env"), "NOGHOST_DEMO_USER": USER,
           "NOGHOST_DEMO_PASSWORD": PASSWORD}
    for name in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL",
                 "EMAIL_BACKEND", "MAKEFLAGS", "MFLAGS"):
        env.pop(name, None)  # a newcomer's shell: the settings come from the env file make writes
    log = tmp_path / "make-run.log"
    started = []

    def start(port):
        with log.open("w") as out:
            process = subprocess.Popen(
                ["make", "-o", str(venv / ".installed"), "run", f"VENV={venv}", f"PORT={port}"], cwd=ROOT, env=env,
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
        started.append(process)
        return process, log

    yield start
    for process in started:
        if group_commands(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_make_run_serves_the_demo_and_ctrl_c_stops_server_and_worker(make_run, tmp_path):
    port = free_port()
    process, log = make_run(port)
    base = f"http://127.0.0.1:{port}"

    assert wait_for_login_page(f"{base}/accounts/login/", process, log) == 200
    wait_for_worker(process, log)
    status, landed, page = log_in(base)
    assert (status, urllib.parse.urlparse(landed).path) == (200, "/"), page[:500]
    assert "Log out" in page  # the dashboard, logged in
    running = group_commands(process.pid)
    assert any("runserver" in command for command in running), running
    assert any("qcluster" in command for command in running), running
    # Its own env file, written by make; the checkout's .env is left alone.
    assert (tmp_path / "noghost.env").read_text().startswith("DEBUG=1\n")

    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal: the whole foreground group
    wait_for_exit(process, log)
    # make returns (the prompt comes back) only once the worker has stopped too.
    assert group_commands(process.pid) == [], log.read_text()


def test_a_term_to_make_stops_server_and_worker(make_run):
    """What systemd, `timeout` or `kill` send: to make alone, which passes it to its recipe."""
    port = free_port()
    process, log = make_run(port)
    assert wait_for_login_page(f"http://127.0.0.1:{port}/accounts/login/", process, log) == 200
    wait_for_worker(process, log)

    process.terminate()
    wait_for_exit(process, log)
    assert group_commands(process.pid) == [], log.read_text()


def test_a_server_that_cannot_start_takes_the_worker_down_with_it(make_run):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process, log = make_run(taken.getsockname()[1])

        assert process.wait(timeout=WAIT_FOR_PAGE) != 0
    assert "already in use" in log.read_text()
    assert group_commands(process.pid) == [], log.read_text()
