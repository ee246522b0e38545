"""Notification targets (Telegram, ntfy, Slack ... as Apprise URLs): reading a URL, and sending
one outbox row to its target within the message's deadline (docs/design.md, rule 15).

apprise does the talking to each service; this module only maps its answer onto the outbox's
outcomes, the way mail/sending.py does for SMTP: delivered; ReceiverTrouble (unreachable, down,
a 5xx or "try later" answer: the receiver's trouble, retried with back-off, never counted);
TargetRefused (a 4xx: this URL is refused, counted like an SMTP 5xx); MayHaveGone (no answer
before the deadline: it may have arrived, so it becomes unsure).
"""

import re

import apprise
from apprise import AppriseResultStatus

from invitations.mail.smtp import MayHaveGone
from invitations.models import NotificationTarget, OutboundEmail
from invitations.vault import seal, unseal

# A receiver gets this long to connect; the rest of the message's deadline is for its answer.
CONNECT_AT_MOST = 5.0
# apprise's plugins log an HTTP error answer as "... error=401."; a 4xx but these says the URL
# itself is refused (a revoked token, a deleted webhook), so trying again would fail again.
HTTP_ERROR = re.compile(r"\berror=(\d{3})\b")
TRY_LATER = {408, 425, 429}


class ReceiverTrouble(ConnectionError):
    """apprise could not deliver (refused, down, an error answer). A ConnectionError, so
    sending.server_trouble() treats it as the receiver's trouble: retried, not counted."""


class TargetRefused(ValueError):
    """The service answered that this URL is refused for good (an HTTP 4xx): the message's
    fault, like an SMTP 5xx, so it counts against MAX_ATTEMPTS and is given up after five."""


class BadTarget(ValueError):
    """A URL apprise does not understand, or names a service this system cannot use."""


def service_of(url):
    """The service a URL names ("Telegram", "JSON"), or BadTarget saying why it is refused.

    Only this, and the label, is ever shown: the URL itself carries the secret.
    """
    plugin = apprise.Apprise.instantiate(url.strip(), suppress_exceptions=True)
    if plugin is None:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        raise BadTarget(f"apprise does not understand a URL starting {scheme + '://' if scheme else 'like that'}; "
                        "see the Apprise wiki for the form each service takes")
    return str(plugin.service_name)[:60]


def target_for(url, seconds):
    """An Apprise object for one URL, its socket timeouts inside `seconds`: the connect short,
    the read longer than the call's own deadline, so a receiver that hangs ends as a TIMEOUT
    (unsure), never as a read error apprise would report as a failure we retry."""
    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if plugin is None:
        raise BadTarget("apprise no longer understands this target's URL")
    plugin.socket_connect_timeout = min(CONNECT_AT_MOST, seconds / 3)
    plugin.socket_read_timeout = seconds + 5
    client = apprise.Apprise()
    client.add(plugin)
    return client


def answer_text(result):
    """apprise's own words about a call (its captured log lines), for the row and the test page."""
    lines = [str(getattr(entry, "message", entry)) for entry in result.logs()]
    return "; ".join(line for line in lines if line)[-1500:] or result.status.name.lower()


def notify(email, seconds):
    """Send `email` (a row with a target) within `seconds`; returns apprise's answer on success.

    Raises ReceiverTrouble when it was not delivered, TargetRefused when the service refused the
    URL itself, and MayHaveGone when the deadline passed with the receiver silent (it may have it). The URL is unsealed here and nowhere else.
    """
    client = target_for(unseal(email.target.url_sealed), seconds)
    result = client.notify(body=email.body_text, title=email.subject, timeout=seconds)
    if result.status == AppriseResultStatus.SUCCESS:
        return answer_text(result)
    if result.status == AppriseResultStatus.TIMEOUT:
        raise MayHaveGone(f"the receiver gave no answer within {seconds:.0f} s: {answer_text(result)}")
    answer = answer_text(result)
    codes = {int(code) for code in HTTP_ERROR.findall(answer)}
    if codes and all(400 <= code < 500 and code not in TRY_LATER for code in codes):
        raise TargetRefused(answer)
    raise ReceiverTrouble(answer)


def add_target(owner, *, label, url, now):
    """Keep a new target for `owner`: its URL sealed, its service read from it (BadTarget if none)."""
    url = url.strip()
    return NotificationTarget.objects.create(owner=owner, label=label.strip(), service=service_of(url),
                                             url_sealed=seal(url), created_at=now)


def queue_test_notice(target, *, now):
    """A test notification to `target`, as an outbox row of its own kind: it goes the way
    reminders go (claim, handoff, deadline, outcome), and no scheduled run retries it."""
    return OutboundEmail.objects.create(
        owner_id=target.owner_id, kind=OutboundEmail.Kind.TEST_NOTICE, to="", target=target, created_at=now,
        subject="noghost: a test notification",
        body_text=f"If you can read this, noghost's reminders reach you here ({target.label}).",
    )
