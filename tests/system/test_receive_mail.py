"""The forwarding address end to end: smtplib to a real aiosmtpd server on a loopback port.

In this process (the handler `manage.py receive_mail` serves, in aiosmtpd's Controller thread;
the test settings run the reading task inline): the invitation is on `/` and in the nudge the
sweep sends at its reply-by. As a subprocess (`manage.py receive_mail` and `ingest_email` on a
SQLite file of their own, with the real settings): stored before DATA is acknowledged, the
reading queued as a django-q2 task, stopped by SIGTERM; the pipe exits 0 for what it read.
"""

import datetime as dt
import os
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from invitations import tasks
from invitations.intake.addresses import address_for
from invitations.management.receiver import InboundHandler, controller
from invitations.models import InboundMessage, Invitation
from invitations.reminders.sweep import sweep

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "intake" / "corpus"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(db):
    handler = InboundHandler(domain=settings.INBOUND_DOMAIN, queue_reading=tasks.queue_reading)
    server = controller(handler, host="127.0.0.1", port=free_port(), max_bytes=settings.INBOUND_MAX_BYTES,
                        server_hostname=settings.INBOUND_DOMAIN)
    server.start()
    yield server
    server.stop()
    handler.executor.shutdown(wait=True)


@pytest.mark.django_db(transaction=True)
def test_mail_to_the_address_is_on_the_dashboard_and_in_the_nudge_at_its_reply_by(smtp_server, alice, client, settings):
    to = f"{address_for(alice).token}@{settings.INBOUND_DOMAIN}"
    raw = (CORPUS / "fiverr-brief.eml").read_bytes()
    with time_machine.travel(NOW, tick=True):
        with smtplib.SMTP(smtp_server.hostname, smtp_server.port, timeout=30) as smtp:
            refused = smtp.sendmail("forwarder@example.com", [to, f"nobody@{settings.INBOUND_DOMAIN}"], raw)
            assert refused == {f"nobody@{settings.INBOUND_DOMAIN}": (550, b"5.1.1 No such mailbox here")}
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.sendmail("forwarder@example.com", [f"{address_for(alice).token}@elsewhere.example"], raw)

        message = InboundMessage.objects.get()  # DATA was acknowledged: stored, and read by the task
        assert (message.via, message.state, bytes(message.raw)) == ("smtp", InboundMessage.State.LOGGED, raw)
        invitation = Invitation.objects.get(owner=alice)
        client.force_login(alice)
        dashboard = client.get(reverse("dashboard"))
        due_soon = {section.key: section for section in dashboard.context["sections"]}["due_soon"]
        assert [followup.invitation for followup in due_soon.items] == [invitation]
        assert "Shopify store speed optimisation" in dashboard.content.decode()

    with time_machine.travel(invitation.reply_by + dt.timedelta(minutes=1), tick=False):
        result = sweep(invitation.reply_by + dt.timedelta(minutes=1))
    assert result.flagged == 1 and result.sent == 1
    [nudge] = mail.outbox
    assert nudge.to == [alice.email] and "Shopify store speed optimisation" in nudge.body


@pytest.mark.django_db(transaction=True)
def test_a_message_over_the_limit_is_refused_with_552_and_not_stored(smtp_server, alice, settings):
    to = f"{address_for(alice).token}@{settings.INBOUND_DOMAIN}"
    big = b"Subject: big\r\n\r\n" + b"x" * (settings.INBOUND_MAX_BYTES + 1024)
    with smtplib.SMTP(smtp_server.hostname, smtp_server.port, timeout=30) as smtp:
        with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused, smtplib.SMTPServerDisconnected)) as refused:
            smtp.sendmail("forwarder@example.com", [to], big)
    assert getattr(refused.value, "smtp_code", 552) == 552
    assert not InboundMessage.objects.exists()


def subprocess_env(database):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "crm.settings", "DATABASE_URL": f"sqlite:///{database}",
           "SECRET_KEY": "receive-mail-test-secret", "DEBUG": "0", "INBOUND_DOMAIN": "in.noghost.test"}
    env.pop("REDIS_URL", None)  # the ORM broker: the queued task is a row to look at
    return env


def manage(*args, env, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, timeout=120,
                          **kwargs)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated SQLite file of the commands' own, with the user kiri; (path, env, kiri's token)."""
    path = tmp_path_factory.mktemp("inbound") / "inbound.sqlite3"
    env = subprocess_env(path)
    manage("migrate", "--noinput", env=env, check=True)
    manage("shell", "-c", "from django.contrib.auth import get_user_model; "
           "get_user_model().objects.create_user('kiri', 'kiri@example.com', 'pw-for-tests-1')", env=env, check=True)
    [(token,)] = query(path, "SELECT token FROM invitations_inboundaddress")
    return path, env, token


def query(path, sql):
    with sqlite3.connect(path, timeout=10) as db:
        return db.execute(sql).fetchall()


def test_the_pipe_exits_0_for_what_it_read_and_1_for_an_unknown_user(database):
    path, env, _ = database
    piped = manage("ingest_email", "--user", "kiri", env=env, input=(CORPUS / "upwork-job-alert.eml").read_bytes())
    assert (piped.returncode, piped.stdout.decode().strip()) == (0, "not an invitation: job alert")
    unknown = manage("ingest_email", "--user", "nobody", env=env, input=b"Subject: x\n\nhi")
    assert unknown.returncode == 1 and "--user: no user named 'nobody'" in unknown.stderr.decode()


def started(server, port):
    """Wait for the command's greeting (django-axes and aiosmtpd speak first); the lines read."""
    lines = []
    while len(lines) < 10 and "Receiving mail" not in "".join(lines):
        lines.append(server.stdout.readline().decode())
    assert f"Receiving mail for *@in.noghost.test on 127.0.0.1:{port}" in lines[-1], lines
    return lines


def test_receive_mail_stores_before_acknowledging_queues_the_reading_and_stops_on_sigterm(database):
    path, env, token = database
    port = free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "receive_mail", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        started(server, port)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            smtp.sendmail("me@example.com", [f"{token.upper()}@In.Noghost.Test"],
                          (CORPUS / "toptal-interview-request.eml").read_bytes())
            # Acknowledged: the row is there already, waiting for the worker's task.
            assert query(path, "SELECT state FROM invitations_inboundmessage WHERE via = 'smtp'") == [("received",)]
        assert query(path, "SELECT key FROM django_q_ormq") == [("noghost",)]
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert "Stopped." in server.stdout.read().decode()
    finally:
        if server.poll() is None:  # did not stop: do not leave it behind
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
