"""The forwarding address's SMTP side, for `manage.py receive_mail`: an aiosmtpd handler.

RCPT TO is checked against the users' tokens (550 for any other address); a message over the
size limit is refused by aiosmtpd with 552; DATA is acknowledged only after the raw message is
committed, one row per owner addressed (a database error answers 451, so the sending server
tries again and nothing is lost). Reading it is then queued as a django-q2 task. The database
work runs in a thread pool, off the event loop, each job closing its connection when done.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from invitations.intake.addresses import owner_id_for
from invitations.intake.capture import store
from invitations.models import InboundMessage

logger = logging.getLogger(__name__)


class InboundHandler:
    """Takes mail for `<token>@domain`; `queue_reading(pk)` is called for each message stored anew."""

    def __init__(self, *, domain, queue_reading, workers=4):
        self.domain = domain
        self.queue_reading = queue_reading
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="receive-mail")

    async def in_thread(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, closing(function), *args)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        owner_id = await self.in_thread(owner_id_for, address, self.domain)
        if owner_id is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        envelope.owner_ids = [*getattr(envelope, "owner_ids", []), owner_id]
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        try:
            await self.in_thread(self.store_for_each, envelope.original_content, envelope.owner_ids)
        except Exception:
            logger.exception("could not store a message from %s", envelope.mail_from)
            return "451 4.3.0 Could not store the message; try again later"
        return "250 2.0.0 Stored"

    def store_for_each(self, raw, owner_ids):
        now = timezone.now()
        for owner in get_user_model().objects.filter(pk__in=set(owner_ids)).select_related("profile"):
            message, _ = store(raw, owner=owner, now=now, via="smtp")
            if message.state == InboundMessage.State.RECEIVED:
                self.queue(message.pk)

    def queue(self, pk):
        """Queue the reading; a broker that is down leaves the message stored, to be read from /inbox/."""
        try:
            self.queue_reading(pk)
        except Exception:
            logger.exception("could not queue reading message %s; it waits in the inbox", pk)


def closing(function):
    """`function`, closing this thread's database connection after it (the pool's threads are long-lived)."""
    def run(*args):
        try:
            return function(*args)
        finally:
            connection.close()
    return run


def controller(handler, *, host, port, max_bytes, server_hostname):
    """An aiosmtpd Controller (its own thread and event loop) serving `handler` on host:port."""
    return Controller(handler, hostname=host, port=port, server_hostname=server_hostname, data_size_limit=max_bytes,
                      enable_SMTPUTF8=True, ready_timeout=10)
