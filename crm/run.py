"""`make run`'s supervisor: the web server and the worker, started together and stopped for good.

Each child runs in a session of its own, so a signal sent to the terminal's process group
(Ctrl-C) or to make's whole group (systemd, `timeout`, terminal multiplexers) reaches this process
alone. It stops each child with exactly one TERM (django-q2 can hang for good when a second
signal lands while it handles the first), and kills whatever is left of a child's session after
GRACE seconds, so everything has stopped within 15. A server that exits on its own (a port in
use) takes the worker with it. make returns only once both are gone.

    python -m crm.run HOST PORT
"""

import os
import signal
import subprocess
import sys
import time

GRACE = 10  # seconds a child has to stop after its TERM; then its whole session is killed
POLL = 0.2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def start(*args):
    return subprocess.Popen([sys.executable, "manage.py", *args], start_new_session=True)


def stop(children, *, grace=GRACE):
    """TERM each child still running, once; after `grace` seconds, KILL each child's session."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(child.poll() is None for child in children):
        time.sleep(POLL)
    for child in children:
        try:
            os.killpg(child.pid, signal.SIGKILL)  # its session: the worker's processes too, if any outlived it
        except (ProcessLookupError, PermissionError):
            pass
        child.wait()


def main(host, port):
    """Serve until a stop signal or a child ends; returns the exit code for make."""
    asked = []
    for signum in STOP_SIGNALS:  # any number of them, from anyone: noted, acted on once
        signal.signal(signum, lambda received, frame: asked.append(received))
    worker = start("qcluster")
    server = start("runserver", "--noreload", f"{host}:{port}")
    try:
        while not asked and server.poll() is None and worker.poll() is None:
            time.sleep(POLL)
    finally:
        stop([server, worker])
    if asked:
        return 0
    return server.returncode or worker.returncode or 1  # a child ended by itself: something went wrong


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
