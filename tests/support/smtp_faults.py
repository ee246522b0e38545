"""A real SMTP server on loopback that misbehaves on purpose (docs/design.md, rule 6).

It speaks enough SMTP for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), one thread
per connection, on 127.0.0.1 and a free port, and records every message it takes in with its
Message-ID. Its `mode` may change while it runs (the server "comes back"):

- NORMAL: takes every message, answers 250.
- BLACK_HOLE: accepts the connection and never says a word.
- SLOW_ACK: reads the message, then answers 250 only after `delay` seconds (it has the message).
- SLOW_REPLIES: a tarpit: every reply comes `delay` seconds late, each one in time on its own.
- HANG_UP_AFTER_DATA: reads the message up to the final ".", then closes without a reply.
- TEMP_FAIL_RCPT / TEMP_FAIL_DATA: answers `code` (452 or 421; 451) at RCPT or after the data.
- REFUSE_RCPT: answers 550 at RCPT (no such user).

Aiosmtpd cannot leave a connection silent or hang up at the exact moment these modes need, so
this is a small socketserver; the hand-written protocol is only what smtplib sends.
"""

import email
import socketserver
import threading
from email import policy

NORMAL = "normal"
BLACK_HOLE = "black_hole"
SLOW_ACK = "slow_ack"
SLOW_REPLIES = "slow_replies"
HANG_UP_AFTER_DATA = "hang_up_after_data"
TEMP_FAIL_RCPT = "temp_fail_rcpt"
TEMP_FAIL_DATA = "temp_fail_data"
REFUSE_RCPT = "refuse_rcpt"
DEFAULT_CODES = {TEMP_FAIL_RCPT: 452, TEMP_FAIL_DATA: 451, REFUSE_RCPT: 550}


class FaultySMTPServer:
    """Start with `with FaultySMTPServer(mode) as server:`; `server.port` is where it listens."""

    def __init__(self, mode=NORMAL, *, delay=0.0, code=None):
        self.mode, self.delay, self.code = mode, delay, code
        self.received = []  # email.message.EmailMessage, in the order taken in
        self.connections = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.fault = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()  # frees the black hole's and the slow server's sessions
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def message_ids(self):
        return [message["Message-ID"] for message in self.received]

    def reply_code(self):
        return self.code or DEFAULT_CODES[self.mode]

    def take(self, raw):
        with self._lock:
            self.received.append(email.message_from_bytes(raw, policy=policy.default))


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False


class _Session(socketserver.StreamRequestHandler):
    def handle(self):
        fault = self.server.fault
        fault.connections += 1
        if fault.mode == BLACK_HOLE:
            fault.stopping.wait()
            return
        self.say(220, "faults.test ESMTP")
        while not fault.stopping.is_set():
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"QUIT":
                return self.say(221, "bye")
            if not self.answer(verb, fault):
                return  # hung up

    def answer(self, verb, fault):
        """Answer one command; False when the session is over (the server hung up)."""
        if verb == b"EHLO":
            self.say("250-faults.test\r\n250", "8BITMIME")
        elif verb == b"RCPT" and fault.mode in (TEMP_FAIL_RCPT, REFUSE_RCPT):
            self.say(fault.reply_code(), "not now" if fault.mode == TEMP_FAIL_RCPT else "no such user")
            return fault.reply_code() != 421
        elif verb == b"DATA":
            return self.data(fault)
        elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            self.say(250, "ok")
        else:
            self.say(502, "not implemented")
        return True

    def data(self, fault):
        self.say(354, "go ahead")
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        if not line:
            return False
        if fault.mode == TEMP_FAIL_DATA:
            self.say(fault.reply_code(), "try again later")
            return True
        fault.take(b"".join(lines))
        if fault.mode == HANG_UP_AFTER_DATA:
            return False
        if fault.mode == SLOW_ACK and fault.stopping.wait(fault.delay):
            return False
        self.say(250, "queued")
        return True

    def say(self, code, text):
        if self.server.fault.mode == SLOW_REPLIES and self.server.fault.stopping.wait(self.server.fault.delay):
            return
        try:
            self.wfile.write(f"{code} {text}\r\n".encode())
        except OSError:  # the client has gone (it timed out waiting)
            pass
