"""Stand-ins for the SMTP server: the one outside thing the tests replace.

Point `settings.EMAIL_BACKEND` at one of these dotted paths.
"""

from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.locmem import EmailBackend

DOWN = "tests.mailservers.DownBackend"
REFUSING = "tests.mailservers.RefusingBackend"


class DownBackend:
    """An SMTP server that is down: every send raises."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    def close(self):
        pass


class RefusingBackend(EmailBackend):
    """An SMTP server that refuses addresses at refused.example and delivers the rest (to mail.outbox)."""

    def send_messages(self, messages):
        for message in messages:
            if any(to.endswith("@refused.example") for to in message.to):
                raise SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 No such user")})
        return super().send_messages(messages)
