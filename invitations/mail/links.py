"""One-click links in reminders (docs/design.md, rule 16): signed, per user, 7 days, single use.

A link is `/go/<user id>/<token>/`: the token is django.core.signing over (action, what it acts
on, a nonce, and for a decline the busy-until date the e-mail showed), salted with the user's id,
so a token made for one user never opens as another's, and a changed character breaks it.
Making links reads nothing from the database. Opening one (read_link) only checks it; its
single use is the UsedLink row the POST inserts (answers/one_click.py), never the GET.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

LIFETIME = dt.timedelta(days=7)
SNOOZE, OPEN, DECLINE = "snooze", "open", "decline"
INVITATION, FOLLOWUP = "i", "f"


class LinkError(Exception):
    """A link that cannot act: `reason` is "expired" or "tampered" (the page says which)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Link:
    """What a checked token says."""

    user_id: int
    action: str
    subject: str  # INVITATION or FOLLOWUP
    pk: int
    nonce: str
    busy_until: dt.date = None


def salt(user_id):
    return f"noghost.one-click:{user_id}"


class MadeAt(signing.TimestampSigner):
    """Django's timestamped signer, its timestamp `now` instead of the clock (time is an argument)."""

    def __init__(self, now, **kwargs):
        super().__init__(**kwargs)
        self.now = now

    def timestamp(self):
        return signing.b62_encode(int(self.now.timestamp()))


def token_for(user_id, action, subject, pk, *, now, busy_until=None):
    """The signed token. Its nonce is an HMAC of what it acts on and `now`: each reminder's links
    are their own (used once), and rendering one reminder twice at one moment gives the same text."""
    nonce = salted_hmac("noghost.one-click.nonce", f"{user_id}:{action}:{subject}:{pk}:{now.isoformat()}")
    payload = {"a": action, "s": subject, "p": pk, "n": nonce.hexdigest()[:24]}
    if busy_until is not None:
        payload["b"] = busy_until.isoformat()
    return MadeAt(now, salt=salt(user_id)).sign_object(payload, compress=True)


def link_url(user_id, action, subject, pk, *, now, busy_until=None):
    """The absolute address of a link made at `now`."""
    token = token_for(user_id, action, subject, pk, now=now, busy_until=busy_until)
    return settings.SITE_URL + reverse("one_click", kwargs={"user_id": user_id, "token": token})


def invitation_links(user_id, invitation_pk, *, now, busy_until):
    """The links of an open invitation in a nudge or digest, by action; declining needs the
    busy-until date the reminder shows (None: the user's period does not read, no such link)."""
    links = {SNOOZE: link_url(user_id, SNOOZE, INVITATION, invitation_pk, now=now),
             OPEN: link_url(user_id, OPEN, INVITATION, invitation_pk, now=now)}
    if busy_until is not None:
        links[DECLINE] = link_url(user_id, DECLINE, INVITATION, invitation_pk, now=now, busy_until=busy_until)
    return links


def followup_links(user_id, followup_pk, *, now):
    """A follow-up's links in the digest: snooze it a day, or open it."""
    return {SNOOZE: link_url(user_id, SNOOZE, FOLLOWUP, followup_pk, now=now),
            OPEN: link_url(user_id, OPEN, FOLLOWUP, followup_pk, now=now)}


def read_link(user_id, token, *, now):
    """The Link a token says, if it was signed for `user_id` and is under LIFETIME old at `now`
    (the signer's own max_age would read the clock; the domain is given `now`)."""
    signer = signing.TimestampSigner(salt=salt(user_id))
    try:
        payload = signer.unsign_object(token)
        made = dt.datetime.fromtimestamp(signing.b62_decode(token.rsplit(":", 2)[1]), tz=dt.timezone.utc)
        busy = payload.get("b")
        link = Link(user_id, payload["a"], payload["s"], int(payload["p"]), payload["n"],
                    dt.date.fromisoformat(busy) if busy else None)
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError, IndexError):
        raise LinkError("tampered") from None
    if now - made > LIFETIME or made > now + dt.timedelta(minutes=10):  # 10 minutes' slack between machines
        raise LinkError("expired")
    return link
