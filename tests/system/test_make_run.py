"""`make run` as a newcomer uses it: it sets up, serves the login page, the demo user logs in, its
e-mail links point at the port it serves on, and Ctrl-C, a TERM to make and a TERM to make's
whole process group each stop the web server and the worker within STOP_WITHIN seconds, with
nothing left running.

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
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.smoke
ROOT = Path(__file__).resolve().parents[2]
WAIT_FOR_PAGE = 60  # seconds: migrate, collectstatic and seed_demo on a fresh database come first
# What a person waits for before reaching for kill -9 (crm/run.py kills what is left after 10 s).
STOP_WITHIN = 15
USER, PASSWORD = "smoke-demo", "smoke-demo-password-1"
MARK = "NOGHOST_SMOKE_RUN"  # in the environment of make and of everything it starts, whatever its group


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def started(mark):
    """{pid: command line} of the live processes make started (and they started), found by the mark
    in their environment: the server and the worker run in process groups of their own."""
    found = {}
    needle = f"{MARK}={mark}".encode()
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
            if state != "Z":
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (ProcessLookupError, FileNotFoundError, PermissionError):
            continue  # it ended while we looked
    return found


def still_running(process):
    """The command lines of what is still running of the `make run` that `process` is."""
    return list(started(process.mark).values())


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
    """make's exit code, once make and everything it started ended within STOP_WITHIN of the signal;
    else fail with what is still running and what make printed."""
    deadline = time.monotonic() + STOP_WITHIN
    try:
        code = process.wait(timeout=STOP_WITHIN)
        while still_running(process) and time.monotonic() < deadline:
            time.sleep(0.1)
    except subprocess.TimeoutExpired:
        code = None
    left = still_running(process)
    if code is None or left:
        pytest.fail(f"make run still running {STOP_WITHIN} s after the signal: {left}\n{log.read_text()}")
    return code


def post_form(base, path, fields):
    """GET a form page, then POST `fields` with its CSRF token, like a browser; (status, url, page)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}{path}", timeout=10) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    with opener.open(f"{base}{path}", data=form, timeout=30) as response:
        return response.status, response.url, response.read().decode()


def log_in(base):
    """Log in through the login form like a browser; returns the page it lands on and its URL."""
    return post_form(base, "/accounts/login/", {"username": USER, "password": PASSWORD})


@pytest.fixture
def make_run(tmp_path):
    """Starts `make run` on `port` in a process group of its own; kills whatever is left after the test."""
    venv = Path(sys.prefix)
    mark = uuid.uuid4().hex
    env = {**os.environ, MARK: mark, "DATABASE_URL": f"sqlite:///{tmp_path / 'noghost.sqlite3'}",
           "NOGHOST_ENV_FILE": str(tmp_path / "noghost.env"), "NOGHOST_DEMO_USER": USER,
           "NOGHOST_DEMO_PASSWORD": PASSWORD}
    for name in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL",
                 "EMAIL_BACKEND", "MAKEFLAGS", "MFLAGS", "SITE_URL", "NOGHOST_HOST", "NOGHOST_PORT"):
        env.pop(name, None)  # a newcomer's shell: the settings come from the env file make writes
    log = tmp_path / "make-run.log"
    def start(port):
        with log.open("w") as out:
            process = subprocess.Popen(
                ["make", "-o", str(venv / ".installed"), "run", f"VENV={venv}", f"PORT={port}"], cwd=ROOT, env=env,
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
        process.mark = mark
        runs.append(process)
        return process, log

    runs = []
    yield start
    for process in runs:
        for pid in started(process.mark):  # only what this test started, by id
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
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
    running = still_running(process)
    assert any("runserver" in command for command in running), running
    assert any("qcluster" in command for command in running), running
    # Its own env file, written by make; the checkout's .env is left alone.
    assert (tmp_path / "noghost.env").read_text().startswith("DEBUG=1\n")
    # E-mail links (here a password reset, printed by the console backend) point at this port.
    post_form(base, "/accounts/password_reset/", {"email": f"{USER}@example.com"})
    assert f"{base}/accounts/reset/" in log.read_text(), log.read_text()[-2000:]

    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal: the whole foreground group
    wait_for_exit(process, log)  # make returns (the prompt comes back) only once the worker has stopped too


def test_a_term_to_make_stops_server_and_worker(make_run):
    """What systemd, `timeout` or `kill` send: to make alone, which passes it to its recipe."""
    port = free_port()
    process, log = make_run(port)
    assert wait_for_login_page(f"http://127.0.0.1:{port}/accounts/login/", process, log) == 200
    wait_for_worker(process, log)

    process.terminate()
    wait_for_exit(process, log)


def test_a_term_to_makes_process_group_stops_server_and_worker(make_run):
    """What systemd, `timeout --foreground` and terminal multiplexers send: TERM to every process
    of the group at once. Once it left make, sh and the worker running after 45 s (django-q2's
    handler re-entered when its second signal came); crm/run.py now takes them one at a time."""
    port = free_port()
    process, log = make_run(port)
    assert wait_for_login_page(f"http://127.0.0.1:{port}/accounts/login/", process, log) == 200
    wait_for_worker(process, log)

    os.killpg(process.pid, signal.SIGTERM)
    wait_for_exit(process, log)


def test_a_server_that_cannot_start_takes_the_worker_down_with_it(make_run):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process, log = make_run(taken.getsockname()[1])

        assert process.wait(timeout=WAIT_FOR_PAGE) != 0
    assert "already in use" in log.read_text()
    assert still_running(process) == [], log.read_text()
