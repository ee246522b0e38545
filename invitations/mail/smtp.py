"""Django's SMTP backend with the two things the outbox needs from it (docs/design.md, rule 6).

1. A deadline for each message as a whole. EMAIL_TIMEOUT bounds each socket operation, so a
   server that answers slowly, or a little at a time, could hold a send for ever; inside
   `deadline(seconds)` a watchdog shuts the socket when the time is up, wherever it waits.
2. Telling "refused" from "may have gone": when the connection ends after the whole message
   (its final ".") was sent and before the server answered, the server may have it. That
   raises MayHaveGone, so the outbox records the message as unsure instead of sending it again.

The outbox uses this backend wherever Django's SMTP backend is configured (outbox.connect()).
"""

import contextlib
import contextvars
import smtplib
import socket
import threading
import time

from django.core.mail.backends import smtp

_deadline = contextvars.ContextVar("noghost_smtp_deadline", default=None)


@contextlib.contextmanager
def deadline(seconds):
    """What the SMTP connection does inside this block (connecting, the message, QUIT) ends
    within `seconds`, all of it together."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


class MayHaveGone(smtplib.SMTPServerDisconnected):
    """The whole message was sent and the connection ended before the server's answer."""


def time_left(timeout):
    """`timeout` (one socket operation's), shortened to what is left before the deadline."""
    at = _deadline.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise TimeoutError("the message's deadline has passed")
    return min(timeout, left) if isinstance(timeout, (int, float)) else left


class Watched:
    """For smtplib.SMTP: the watchdog of the deadline, and `message_left` (the final "." sent)."""

    message_left = False
    cut = False
    _watchdog = None

    def _get_socket(self, host, port, timeout):
        self.sock = super()._get_socket(host, port, time_left(timeout))
        self._arm()  # the greeting, EHLO, STARTTLS and login come under the first message's deadline
        return self.sock

    def mail(self, sender, options=()):
        self.message_left = False
        self._arm()
        return super().mail(sender, options)

    def send(self, s):
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):  # smtplib sends the data in one piece
            self.message_left = True

    def sendmail(self, *args, **kwargs):
        try:
            return super().sendmail(*args, **kwargs)
        finally:
            self._disarm()  # an idle connection waits for the next message untouched

    def quit(self):
        self._arm()
        return super().quit()

    def close(self):
        self._disarm()
        super().close()

    def _disarm(self):
        if self._watchdog is not None:
            self._watchdog.cancel()

    def _arm(self):
        self._disarm()
        at = _deadline.get()
        if at is not None and self.sock is not None:
            self._watchdog = threading.Timer(max(0.0, at - time.monotonic()), self._cut, args=[self.sock])
            self._watchdog.daemon = True
            self._watchdog.start()

    def _cut(self, sock):
        self.cut = True
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once: SMTPServerDisconnected


class WatchedSMTP(Watched, smtplib.SMTP):
    pass


class WatchedSMTPSSL(Watched, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend, its connection watched (see the module docstring)."""

    @property
    def connection_class(self):
        return WatchedSMTPSSL if self.use_ssl else WatchedSMTP

    def send_messages(self, email_messages):
        try:
            return super().send_messages(email_messages)
        except smtplib.SMTPServerDisconnected as exc:
            if getattr(self.connection, "message_left", False):
                why = "no answer before the deadline" if self.connection.cut else str(exc)
                raise MayHaveGone(f"the whole message was sent, then {why}") from exc
            raise
