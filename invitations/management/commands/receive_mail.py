"""python manage.py receive_mail [--host 127.0.0.1] [--port 2525]: the forwarding addresses' SMTP server."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from invitations import tasks
from invitations.management.receiver import InboundHandler, controller


class Command(BaseCommand):
    help = (
        "Receive mail for every user's forwarding address, <token>@INBOUND_DOMAIN (tokens are on /settings/), "
        "over SMTP. Each message is stored before DATA is acknowledged, then read by a django-q2 task "
        "(run qcluster beside it). Other addresses get 550, messages over INBOUND_MAX_BYTES 552. Stops on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=2525, help="Port to listen on (default 2525).")

    def handle(self, *args, **opts):
        handler = InboundHandler(domain=settings.INBOUND_DOMAIN, queue_reading=tasks.queue_reading)
        server = controller(handler, host=opts["host"], port=opts["port"], max_bytes=settings.INBOUND_MAX_BYTES,
                            server_hostname=settings.INBOUND_DOMAIN)
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        server.start()
        self.stdout.write(f"Receiving mail for *@{settings.INBOUND_DOMAIN} on {opts['host']}:{opts['port']} "
                          f"(up to {settings.INBOUND_MAX_BYTES // 2**20} MB a message).", ending="\n")
        self.stdout.flush()
        try:
            while not stop.wait(1):
                pass
        finally:
            server.stop()
            handler.executor.shutdown(wait=True)
            self.stdout.write("Stopped.")
