import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from invitations.models import Mailbox
from invitations.vault import seal
from tests.support.dovecot import PASSWORD, dovecot, dovecot_server  # noqa: F401


def mail(number, *, subject="Lunch on Friday?", sender="Sam <sam@example.org>", to="alice@example.com",
         body="Are you free?", date=None, **headers):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = format_datetime(date or dt.datetime.now(dt.timezone.utc))
    message["Message-ID"] = f"<m{number}@example.org>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return bytes(message)


@pytest.fixture
def mailbox_for(dovecot):  # noqa: F811
    def connect(owner, *, password=PASSWORD, user=None):
        return Mailbox.objects.create(
            owner=owner, host="127.0.0.1", port=dovecot.port, security=Mailbox.Security.PLAIN,
            username=user or dovecot.user, password=seal(password),
        )

    return connect
