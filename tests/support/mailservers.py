"""Stand-ins for the SMTP server, for tests about what the outbox does with an answer.

Point `settings.EMAIL_BACKEND` at one of these dotted paths. Faults that live in the
conversation itself (silence, slowness, a hang-up after the data) need the real loopback
server in tests/support/smtp_faults.py.
"""

from smtplib import SMTPAuthenticationError, SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend

DOWN = "tests.support.mailservers.DownBackend"
REFUSING = "tests.support.mailservers.RefusingBackend"
LOGIN_REJECTED = "tests.support.mailservers.LoginRejectedBackend"
HANGING_UP = "tests.support.mailservers.HangingUpBackend"


class DownBackend(BaseEmailBackend):
    """An SMTP server that is down: every send raises."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


class LoginRejectedBackend(DownBackend):
    """An SMTP server that rejects our login (our configuration is wrong): every send raises."""

    def send_messages(self, messages):
        raise SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid")


class RefusingBackend(EmailBackend):
    """An SMTP server that refuses addresses at refused.example and delivers the rest (to mail.outbox)."""

    def send_messages(self, messages):
        for message in messages:
            if any(to.endswith("@refused.example") for to in message.to):
                raise SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 No such user")})
        return super().send_messages(messages)


class HangingUpBackend(RefusingBackend):
    """A RefusingBackend that hangs up after the first message of each connection: every later
    send on it raises SMTPServerDisconnected."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answered = False

    def send_messages(self, messages):
        if self.answered:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        self.answered = True
        return super().send_messages(messages)
