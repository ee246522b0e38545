"""Signing in to a mailbox with IMAPClient, and "Test connection", which says which step failed.

The app password is unsealed here only, for the moment of the LOGIN; it is never logged. Each
failure is named by its step (DNS, connecting: refused or silent, TLS, login, folder) by
`failure()`, so the user knows what to fix, and the sync records the same words.
"""

import socket
import ssl

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from invitations.models import Mailbox
from invitations.vault import SealedSecretError, unseal

TIMEOUT = 30
TEST_TIMEOUT = 15


class MailboxError(Exception):
    """A step of reading a mailbox failed; `login` is True when the server refused the sign-in."""

    def __init__(self, message, *, login=False):
        super().__init__(message)
        self.login = login


def failure(error, mailbox, *, timeout=TIMEOUT):
    """A MailboxError saying plainly which step `error` (raised signing in to `mailbox`) broke."""
    where = f"{mailbox.host}:{mailbox.port}"
    if isinstance(error, socket.gaierror):
        return MailboxError(f"noghost could not find the server {mailbox.host} (DNS): check the host name.")
    if isinstance(error, ConnectionRefusedError):
        return MailboxError(f"{where} refused the connection: nothing takes IMAP on port {mailbox.port}. "
                            "Check the port (993 for TLS, 143 for STARTTLS).")
    if isinstance(error, TimeoutError):  # socket.timeout is TimeoutError since Python 3.10
        return MailboxError(f"{where} did not answer within {timeout} seconds: check the port, "
                            "or a firewall between noghost and the server.")
    if isinstance(error, ssl.SSLError):
        return MailboxError(f"The TLS handshake with {where} failed ({getattr(error, 'reason', None) or error}): "
                            "check the security setting and the port.")
    if isinstance(error, LoginError):
        return MailboxError(f"{where} refused the user name or app password.", login=True)
    return MailboxError(f"noghost could not connect to {where} ({error}).")


def connect(mailbox, *, timeout=TIMEOUT):
    """An IMAPClient signed in to `mailbox`; raises MailboxError naming the step that failed."""
    try:
        password = unseal(mailbox.password)
    except SealedSecretError:
        raise MailboxError("The stored app password cannot be opened with this server's keys "
                           "(NOGHOST_VAULT_KEYS): enter it again in Settings.", login=True) from None
    try:
        client = IMAPClient(
            mailbox.host, port=mailbox.port, ssl=mailbox.security == Mailbox.Security.IMPLICIT,
            ssl_context=ssl.create_default_context(), timeout=timeout,
        )
    except (OSError, IMAPClientError) as error:
        raise failure(error, mailbox, timeout=timeout) from None
    try:
        if mailbox.security == Mailbox.Security.STARTTLS:
            starttls(client, mailbox)
        client.login(mailbox.username, password)
    except (OSError, IMAPClientError) as error:
        client.shutdown()
        raise failure(error, mailbox, timeout=timeout) from None
    return client


def starttls(client, mailbox):
    """Upgrade to TLS; a server that does not offer STARTTLS is a TLS failure, not a login one."""
    if b"STARTTLS" not in client.capabilities():
        raise ssl.SSLError(f"{mailbox.host} does not offer STARTTLS")
    client.starttls(ssl.create_default_context())


def sent_folder(client, mailbox):
    """The folder the user's sent mail is in: as given, else the one flagged \\Sent, else None."""
    if mailbox.sent_folder:
        return mailbox.sent_folder
    return client.find_special_folder(b"\\Sent")


def test_connection(mailbox, *, timeout=None):
    """None when noghost can sign in and open every folder to watch, else what failed, plainly."""
    try:
        client = connect(mailbox, timeout=timeout or TEST_TIMEOUT)
    except MailboxError as error:
        return str(error)
    try:
        for name in [*mailbox.watched, *filter(None, [sent_folder(client, mailbox)])]:
            if not client.folder_exists(name):
                return f"Signed in, but there is no folder named “{name}”: check its spelling (case counts)."
    except (OSError, IMAPClientError) as error:
        return f"Signed in, but listing the folders failed ({error})."
    finally:
        client.shutdown()
    return None
