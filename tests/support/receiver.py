"""A real webhook receiver on loopback for notification targets (apprise's `json://`).

It records every POST it takes in (the JSON apprise sends: title, message, type) and can be
told to answer an error (`status`), to hang before answering (`hang`), or be stopped and
started again on the same port (a receiver that is down for a while).
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        receiver = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if receiver.hang:
            receiver.release.wait(receiver.hang)
        with receiver.lock:
            receiver.posts.append({"path": self.path, **json.loads(body or b"{}")})
        self.send_response(receiver.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Receiver:
    """`with Receiver() as receiver:`; `receiver.url` is the apprise URL that posts to it."""

    def __init__(self, *, status=200, hang=0.0, port=0):
        self.status, self.hang = status, hang
        self.posts, self.lock, self.release = [], threading.Lock(), threading.Event()
        self.port = port or _free_port()
        self._server = None

    @property
    def url(self):
        return f"json://127.0.0.1:{self.port}/hook"

    @property
    def messages(self):
        return [post["message"] for post in self.posts]

    def start(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        self._server.daemon_threads = True
        self._server.receiver = self
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self):
        """Down: the port refuses connections until start() again."""
        if self._server is not None:
            self.release.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None
            self.release.clear()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
