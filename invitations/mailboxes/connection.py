"""Signing in to a mailbox with IMAPClient, and "Test connection", which says which step failed.

The app password is unsealed here only, for the moment of the LOGIN; it is never logged. Each
failure is named by its step (DNS, connecting, TLS, login, folder) so the user knows what to fix.
"""

import socket
import ssl

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from invitations.models import Mailbox
from invitations.vault import unseal

TIMEOUT = 30


class MailboxError(Exception):
    """A step of reading a mailbox failed; `login` is True when the server refused the sign-in."""

    def __init__(self, message, *, login=False):
        super().__init__(message)
        self.login = login


def connect(mailbox, *, timeout=TIMEOUT):
    """An IMAPClient signed in to `mailbox`; raises MailboxError naming the step that failed."""
    where = f"{mailbox.host}:{mailbox.port}"
    try:
        socket.getaddrinfo(mailbox.host, mailbox.port)
    except socket.gaierror:
        raise MailboxError(f"noghost could not find the server {mailbox.host} (DNS).") from None
    try:
        client = IMAPClient(
            mailbox.host, port=mailbox.port, ssl=mailbox.security == Mailbox.Security.IMPLICIT,
            ssl_context=ssl.create_default_context(), timeout=timeout,
        )
        if mailbox.security == Mailbox.Security.STARTTLS:
            client.starttls(ssl.create_default_context())
    except ssl.SSLError as error:
        raise MailboxError(f"The TLS handshake with {where} failed ({error.reason or error}).") from None
    except (OSError, IMAPClientError) as error:
        raise MailboxError(f"noghost could not connect to {where} ({error}).") from None
    try:
        client.login(mailbox.username, unseal(mailbox.password))
    except LoginError:
        client.shutdown()
        raise MailboxError(f"{where} refused the user name or app password.", login=True) from None
    return client


def sent_folder(client, mailbox):
    """The folder the user's sent mail is in: as given, else the one flagged \\Sent, else None."""
    if mailbox.sent_folder:
        return mailbox.sent_folder
    return client.find_special_folder(b"\\Sent")


def test_connection(mailbox):
    """None when noghost can sign in and open every folder to watch, else what failed, plainly."""
    try:
        client = connect(mailbox, timeout=15)
    except MailboxError as error:
        return str(error)
    try:
        for name in [*mailbox.watched, *filter(None, [sent_folder(client, mailbox)])]:
            if not client.folder_exists(name):
                return f"Signed in, but there is no folder named “{name}”."
    except (OSError, IMAPClientError) as error:
        return f"Signed in, but listing the folders failed ({error})."
    finally:
        client.shutdown()
    return None
