"""The outbox against a real SMTP server on loopback that misbehaves (tests/support/smtp_faults.py).

Django's SMTP backend talks to it over a real socket, and a task's end comes from django-q2's
own TimeoutHandler (SIGALRM, a SystemExit): the faults are the real ones, scaled down in time
(EMAIL_TIMEOUT 1 s, a task timeout of a few seconds instead of 30 s and 240 s).
"""

import collections
import datetime as dt
import time

import pytest
from django_q.exceptions import TimeoutException
from django_q.timeout import TimeoutHandler

from invitations import tasks
from invitations.intake.log import log_invitation
from invitations.mail.outbox import MAX_ATTEMPTS, deliver_pending, queue_email, send_again, undelivered
from invitations.mail.rendering import RenderedEmail
from invitations.mail.sending import RETRY_AT_MOST
from invitations.models import OutboundEmail
from tests.support import smtp_faults

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def nudges(owner, now, count):
    return [queue_email(owner, OutboundEmail.Kind.NUDGE, RenderedEmail(f"Nudge {n}", "text", ""),
                        now=now + n * dt.timedelta(seconds=1)) for n in range(count)]


def states():
    return collections.Counter(OutboundEmail.objects.values_list("state", flat=True))


def test_a_black_hole_server_costs_the_sweep_task_one_timeout_and_leaves_nothing_sending(
        make_user, settings, smtp_server):
    """The issue's case, scaled down: 10 nudges due, a task timeout of 4 s (240 s shipped), a
    server that accepts and never answers, EMAIL_TIMEOUT 1 s (30 s). Sending one message after
    another, the task was ended by its timeout with every row `sending` for good."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 4}
    now = dt.datetime.now(dt.timezone.utc)
    for n in range(10):
        log_invitation(make_user(f"user{n}"), now=now - 2 * dt.timedelta(days=1), client="Acme",
                       received_at=now - 2 * dt.timedelta(days=1))
    smtp_server.mode = smtp_faults.BLACK_HOLE

    started = time.monotonic()
    with TimeoutHandler(4):  # django-q2's own: SIGALRM raises TimeoutException (a SystemExit)
        summary = tasks.sweep()
    elapsed = time.monotonic() - started

    assert summary == "flagged 10 invitations, nudged 10 users, sent 0 e-mails, 1 failed"
    assert elapsed < 2.5  # one message's deadline: the run stops at a server that cannot take mail
    assert states() == {"queued": 9, "failed": 1}
    assert set(OutboundEmail.objects.values_list("attempts", "claim_token")) == {(0, "")}

    smtp_server.mode = smtp_faults.NORMAL  # the server is back: the next sweeps send each nudge once
    with TimeoutHandler(4):
        tasks.sweep()
    assert states() == {"sent": 9, "failed": 1}  # the one that timed out waits for its back-off
    sent = OutboundEmail.objects.filter(state="sent").values_list("message_id", flat=True)
    assert sorted(smtp_server.message_ids) == sorted(sent)  # each exactly once


def test_a_task_ended_by_its_timeout_leaves_only_the_message_in_flight_in_doubt(alice, now, settings, smtp_server):
    """The task's timeout comes first (the server takes 5 s to acknowledge, EMAIL_TIMEOUT is 3 s):
    the message handed over may have arrived, and the rest of the batch was never sent."""
    settings.EMAIL_TIMEOUT = 3
    smtp_server.mode, smtp_server.delay = smtp_faults.SLOW_ACK, 5
    rows = nudges(alice, now, 5)

    with pytest.raises(TimeoutException), TimeoutHandler(1):
        deliver_pending(now)

    first, *rest = (OutboundEmail.objects.get(pk=row.pk) for row in rows)
    assert (first.state, first.attempts) == ("unsure", 1) and "ended while sending" in first.last_error
    assert [(row.state, row.attempts, row.claim_token) for row in rest] == [("queued", 0, "")] * 4
    assert smtp_server.message_ids == [first.message_id]  # the server has it

    smtp_server.mode = smtp_faults.NORMAL
    assert deliver_pending(now + 5 * MINUTE) == (4, 0)
    assert sorted(smtp_server.message_ids) == sorted(row.message_id for row in rows)  # each exactly once
    assert undelivered(alice, now + 5 * MINUTE) == [first]


def test_a_run_sends_no_longer_than_its_budget_from_django_qs_timeout(alice, now, settings, smtp_server):
    """A slow server (1 s to acknowledge each message) and a task timeout of 4 s: the run claims
    only what fits in its budget (3 s), stops, and leaves the rest queued, not `sending`."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 4}
    settings.EMAIL_TIMEOUT = 2
    smtp_server.mode, smtp_server.delay = smtp_faults.SLOW_ACK, 0.6
    nudges(alice, now, 10)

    started = time.monotonic()
    with TimeoutHandler(4):
        sent, failed = deliver_pending(now)

    assert time.monotonic() - started < 3.2 and failed == 0 and sent >= 1
    assert states() == {"sent": sent, "queued": 10 - sent}
    assert len(smtp_server.received) == sent


def test_a_tarpit_is_held_to_one_deadline_for_the_whole_message(alice, now, smtp_server):
    """Every reply 0.6 s late, each well inside EMAIL_TIMEOUT (1 s): only a deadline for the
    message as a whole stops it (six replies, 3.6 s, where the message may take 1 s)."""
    smtp_server.mode, smtp_server.delay = smtp_faults.SLOW_REPLIES, 0.6
    [email] = nudges(alice, now, 1)

    started = time.monotonic()
    assert deliver_pending(now) == (0, 1)

    assert time.monotonic() - started < 2
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("failed", 0)  # the server's trouble, not the message's


@pytest.mark.parametrize("mode, code", [
    (smtp_faults.TEMP_FAIL_RCPT, 452), (smtp_faults.TEMP_FAIL_RCPT, 421), (smtp_faults.TEMP_FAIL_DATA, 451)])
def test_a_temporary_refusal_through_an_outage_gives_no_mail_up(alice, now, smtp_server, mode, code):
    [email] = nudges(alice, now, 1)
    smtp_server.mode, smtp_server.code = mode, code
    runs = [now + 5 * n * MINUTE for n in range(12)]  # an hour of sweeps: a full disk, throttling

    results = [deliver_pending(moment) for moment in runs]

    email.refresh_from_db()
    assert (email.state, email.attempts, email.given_up) == ("failed", 0, False)
    assert str(code) in email.last_error
    assert 2 < results.count((0, 1)) < len(runs)  # retried, with back-off
    smtp_server.mode = smtp_faults.NORMAL
    assert deliver_pending(runs[-1] + RETRY_AT_MOST) == (1, 0)
    assert smtp_server.message_ids == [email.message_id]  # the Message-ID it was queued with


def test_a_permanent_refusal_counts_against_its_message(alice, now, smtp_server):
    [email] = nudges(alice, now, 1)
    smtp_server.mode = smtp_faults.REFUSE_RCPT

    results = [deliver_pending(now + 5 * n * MINUTE) for n in range(MAX_ATTEMPTS + 2)]

    assert results == [(0, 1)] * MAX_ATTEMPTS + [(0, 0)] * 2
    email.refresh_from_db()
    assert email.given_up and "550" in email.last_error


@pytest.mark.parametrize("mode", [smtp_faults.HANG_UP_AFTER_DATA, smtp_faults.SLOW_ACK])
def test_a_lost_answer_after_the_data_is_unsure_never_resent_on_its_own_and_keeps_its_message_id(
        alice, now, smtp_server, mode):
    """The server has the message and hangs up (or answers after the deadline): the row is
    unsure, shown to its owner, and sent again only on their word, with the same Message-ID."""
    smtp_server.mode, smtp_server.delay = mode, 3
    lost, waiting = nudges(alice, now, 2)

    assert deliver_pending(now) == (0, 1)  # the run stops at a server that lost a message

    lost.refresh_from_db()
    assert (lost.state, lost.attempts) == ("unsure", 1) and "the whole message was sent" in lost.last_error
    assert smtp_server.message_ids == [lost.message_id]
    smtp_server.mode = smtp_faults.NORMAL
    assert [deliver_pending(now + n * 5 * MINUTE) for n in (1, 2)] == [(1, 0), (0, 0)]  # only the other
    assert smtp_server.message_ids == [lost.message_id, OutboundEmail.objects.get(pk=waiting.pk).message_id]
    assert undelivered(alice, now + 10 * MINUTE) == [lost]

    assert send_again(alice, lost.pk) and deliver_pending(now + 15 * MINUTE, ids=[lost.pk]) == (1, 0)
    assert smtp_server.message_ids.count(lost.message_id) == 2  # a second copy a receiver can recognise
    assert not send_again(alice, lost.pk)  # sent: nothing in doubt any more
