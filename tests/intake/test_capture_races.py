"""Deliveries racing on PostgreSQL, each thread on its own connection: one message, one invitation.

The same message through SMTP and the pipe at once (both INSERTs issued together: the unique
(owner, Message-ID) constraint decides), and an invitation and its reminder read at the same
moment (both stored, both at the owner's profile lock together: the second sees the first's invitation).
"""

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.db import connection

from invitations.intake.capture import capture, read_stored
from invitations.management.receiver import InboundHandler
from invitations.models import FollowUp, InboundMessage, Invitation
from tests.reminders.test_sweep_races import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CORPUS = Path(__file__).parent / "corpus"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def waiting_at(barrier, starts):
    """A query wrapper that holds every statement starting with `starts` until all threads reach one."""
    def wrapper(execute, sql, params, many, context):
        if sql.startswith(starts):
            barrier.wait()
        return execute(sql, params, many, context)
    return wrapper


def test_one_message_through_smtp_and_the_pipe_at_once_makes_one_invitation(alice):
    raw = (CORPUS / "upwork-invite-multipart.eml").read_bytes()
    barrier = threading.Barrier(2, timeout=30)
    ways = iter(["smtp", "pipe"])
    lock = threading.Lock()
    smtp = InboundHandler(domain="in.noghost.test", queue_reading=lambda pk: read_stored(pk, now=NOW))

    def deliver():
        with lock:
            way = next(ways)
        with connection.execute_wrapper(waiting_at(barrier, 'INSERT INTO "invitations_inboundmessage"')):
            if way == "smtp":
                smtp.store_for_each(raw, [alice.pk])
                return way
            return capture(raw, owner=alice, now=NOW, via=way).repeated

    results = run_at_once(deliver, barrier)

    assert "smtp" in results
    [message] = InboundMessage.objects.all()
    assert message.state == InboundMessage.State.LOGGED
    assert Invitation.objects.count() == 1 and FollowUp.objects.count() == 1


def test_an_invitation_and_its_reminder_read_at_once_make_one_invitation(alice):
    barrier = threading.Barrier(2, timeout=30)
    files = iter(["upwork-invite-multipart.eml", "upwork-reminder.eml"])
    lock = threading.Lock()

    def deliver():
        with lock:
            raw = (CORPUS / next(files)).read_bytes()
        with connection.execute_wrapper(waiting_at(barrier, 'SELECT "invitations_profile"')):
            return capture(raw, owner=alice, now=NOW, via="pipe").state

    results = run_at_once(deliver, barrier)

    assert sorted(results) == ["duplicate", "logged"]
    [invitation] = Invitation.objects.all()
    assert set(InboundMessage.objects.values_list("invitation", flat=True)) == {invitation.pk}
    assert "by e-mail: " in invitation.notes  # whichever came second was noted on it
