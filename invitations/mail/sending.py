"""Sending one claimed batch over one connection, and recording what became of each row.

Each message is handed over (one UPDATE: `sending`, its send counted) only once the connection
is open, and just before its data goes: a run that dies leaves that one message in doubt and
the rest of its batch merely claimed, which the next run sends once the claim has lapsed.
Each outcome is written as soon as it is known: a message sent together with the next one's
handoff (one UPDATE per message), a failure or a doubt on its own (docs/design.md, rule 6).
"""

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from smtplib import SMTPDataError, SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Case, F, Q, TextField, Value, When

from invitations.mail import notify, smtp
from invitations.models import NotificationTarget, OutboundEmail

State = OutboundEmail.State
DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"
WATCHED_SMTP = "invitations.mail.smtp.EmailBackend"
# A send that failed is tried again no sooner than this: as long as the message has waited so
# far, between these bounds (1, 2, 4 ... minutes up to half an hour, once a run comes by).
RETRY_FIRST = dt.timedelta(minutes=1)
RETRY_AT_MOST = dt.timedelta(minutes=30)
ABORT_QUIT = 1  # seconds for a polite QUIT when the run is being ended


def server_trouble(exc):
    """Whether a send failed through no fault of its message: such a send does not count
    against MAX_ATTEMPTS, so a server outage of any length gives no mail up.

    The message is at fault only when the server refused it for good, a 5xx reply to its
    recipient or its data, or when the send raised something not an OSError (a bug building it):
    trying again would fail again. A 4xx reply (full disk, throttling, greylisting: "try
    later") and any other OSError (connection refused, reset or dropped, a timeout, DNS, a
    refused greeting, login or sender: our configuration, failing every message alike) say
    nothing about this message. smtplib's errors are OSErrors too, hence the order.
    """
    if isinstance(exc, SMTPRecipientsRefused):
        return all(code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, SMTPDataError):
        return exc.smtp_code < 500
    return isinstance(exc, OSError)


def connect():
    """The configured mail backend; Django's SMTP backend is replaced by its watched form."""
    return get_connection(WATCHED_SMTP if settings.EMAIL_BACKEND == DJANGO_SMTP else None)


def as_message(email, connection):
    message = EmailMultiAlternatives(
        email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to], connection=connection,
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def hand_off(email, token, *, now=None, delivered=None):
    """Mark `email` as handed to the server, its send counted: from here a crash leaves it in
    doubt. In the same UPDATE, the message sent just before it (`delivered`, a pk) is recorded
    as sent: one write per message. False if another run has taken `email`'s claim over (it
    judged this run dead)."""
    rows = OutboundEmail.objects.filter(claim_token=token)
    handing = Q(pk=email.pk, state__in=[State.QUEUED, State.FAILED])
    if delivered is None:
        return rows.filter(handing).update(state=State.SENDING, attempts=F("attempts") + 1) == 1
    done = Q(pk=delivered)
    return rows.filter(handing | done).update(
        state=Case(When(done, then=Value(State.SENT)), default=Value(State.SENDING)),
        attempts=Case(When(done, then=F("attempts")), default=F("attempts") + 1),
        sent_at=Case(When(done, then=Value(now)), default=F("sent_at")),
        last_error=Case(When(done, then=Value("")), default=F("last_error"), output_field=TextField()),
    ) == 2


def error_text(exc):
    return f"{type(exc).__name__}: {exc}"[:2000]


@dataclass
class Batch:
    """What became of a claimed batch. Each outcome is written as soon as it is known (a sent
    one with the next handoff), so a run killed at any moment leaves only the message in
    flight `sending`; rows never handed over are merely claimed, for the next run."""

    rows: list
    now: dt.datetime
    token: str
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    unsure: list = field(default_factory=list)
    in_flight: OutboundEmail = None
    unrecorded: int = None  # the pk of one sent, written with the next handoff or at the end
    stopped: bool = False  # the server is unreachable or lost a message: the run ends here

    @property
    def mine(self):
        return OutboundEmail.objects.filter(claim_token=self.token)

    def fail(self, email, exc, *, handed):
        """Record a failed send: retried after a back-off, counted only if it was the message's fault."""
        servers = server_trouble(exc)
        wait = min(RETRY_AT_MOST, max(RETRY_FIRST, self.now - email.created_at)) if servers else RETRY_FIRST
        self.mine.filter(pk=email.pk).update(state=State.FAILED, last_error=error_text(exc), retry_at=self.now + wait,
                                             claim_token="", attempts=F("attempts") - int(handed and servers))
        self.failed.append(email.pk)

    def doubt(self, email, why):
        self.mine.filter(pk=email.pk).update(state=State.UNSURE, last_error=why)
        self.unsure.append(email.pk)

    def send(self, email, connection, per_message):
        """Send one row; False when the run should stop (the server cannot take mail now)."""
        if email.target_id is not None:
            # One receiver's trouble says nothing of the mail server or other receivers: go on.
            self.deliver(email, lambda: notify.notify(email, per_message))
            return True
        with smtp.deadline(per_message):
            try:
                connection.open()
            except Exception as exc:  # unreachable, silent, refusing us: nothing was handed over
                self.fail(email, exc, handed=False)
                return False
            self.deliver(email, lambda: as_message(email, connection).send(), after_failure=connection.close)
        return email.pk not in self.unsure

    def deliver(self, email, transmit, *, after_failure=None):
        """Hand `email` over, `transmit()` it (SMTP or apprise) and note the outcome, the same for both."""
        handed = hand_off(email, self.token, now=self.now, delivered=self.unrecorded)
        self.unrecorded = None
        if not handed:
            return
        self.in_flight = email  # until its outcome is known; a SystemExit leaves it here
        try:
            transmit()
        except smtp.MayHaveGone as exc:
            self.doubt(email, error_text(exc))
        except Exception as exc:  # recorded on the row, retried by a later run
            self.fail(email, exc, handed=True)
            if after_failure is not None:
                with contextlib.suppress(Exception):
                    after_failure()  # e.g. the next message gets a fresh connection
        else:
            self.sent.append(email.pk)
            self.unrecorded = email.pk
        self.in_flight = None

    def record(self, *, ended):
        """Write what is left: the last one sent, and, if the run is being ended (`ended`:
        django-q2's timeout), the one in flight as unsure; rows never handed over are released."""
        if self.unrecorded is not None:
            self.mine.filter(pk=self.unrecorded).update(state=State.SENT, sent_at=self.now, last_error="")
        if ended and self.in_flight is not None:
            self.doubt(self.in_flight, "The run was ended while sending it: it may have arrived.")
        done = {*self.sent, *self.failed, *self.unsure}
        untried = [email.pk for email in self.rows if email.pk not in done]
        if untried:
            self.mine.filter(pk__in=untried, state__in=[State.QUEUED, State.FAILED]).update(claim_token="")


def with_targets(rows):
    """Give the rows for notification targets their target: one read, and none without such rows."""
    wanted = {email.target_id for email in rows if email.target_id is not None}
    if wanted:
        targets = NotificationTarget.objects.in_bulk(wanted)
        for email in rows:
            if email.target_id is not None:
                email.target = targets.get(email.target_id)  # None: removed since (its rows go with it)


def send_batch(rows, *, now, token, per_message):
    """Send claimed rows over one connection, each within `per_message` seconds; returns the Batch.

    Whatever ends it (a send, the server, django-q2's timeout, which is a SystemExit), every
    row's outcome is written before the connection is closed.
    """
    batch = Batch(rows, now, token)
    with_targets(rows)
    connection = connect()
    ended = True
    try:
        for email in rows:
            if not batch.send(email, connection, per_message):
                batch.stopped = True
                break
        ended = False
    finally:
        batch.record(ended=ended)
        with smtp.deadline(ABORT_QUIT if ended else per_message), contextlib.suppress(Exception):
            connection.close()
    return batch
