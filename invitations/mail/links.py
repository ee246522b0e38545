"""One-click links in reminders (docs/design.md, rule 16): signed, per user, 7 days, single use.

A link is `/go/<user id>/<token>/`: the token is django.core.signing over (action, what it acts
on, a nonce, and for a decline the busy-until date the e-mail showed), salted with the user's id,
so a token made for one user never opens as another's, and a changed character breaks it.
Making links reads nothing from the database. Opening one (read_link) only checks it; its
single use is the UsedLink row the POST inserts (answers/one_click.py), never the GET.
"""

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import salted_hmac

from invitations.mail.rendering import url_format

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


class LinkMaker:
    """Makes the links of one reminder run at `now`, the one-click path reverse()d once for all
    of them (mail/rendering.url_format(): a digest batch makes thousands)."""

    def __init__(self, now):
        self.now = now
        self.url = url_format("one_click", "user_id", "token")

    def link(self, user_id, action, subject, pk, *, busy_until=None):
        """The absolute address of one link."""
        return self.url(user_id, token_for(user_id, action, subject, pk, now=self.now, busy_until=busy_until))

    def invitation(self, user_id, invitation_pk, *, busy_until):
        """The links of an open invitation in a nudge or digest, by action; declining needs the
        busy-until date the reminder shows (None: the user's period does not read, no such link)."""
        links = {SNOOZE: self.link(user_id, SNOOZE, INVITATION, invitation_pk),
                 OPEN: self.link(user_id, OPEN, INVITATION, invitation_pk)}
        if busy_until is not None:
            links[DECLINE] = self.link(user_id, DECLINE, INVITATION, invitation_pk, busy_until=busy_until)
        return links

    def followup(self, user_id, followup_pk):
        """A follow-up's links in the digest: snooze it a day, or open it."""
        return {SNOOZE: self.link(user_id, SNOOZE, FOLLOWUP, followup_pk),
                OPEN: self.link(user_id, OPEN, FOLLOWUP, followup_pk)}


def link_url(user_id, action, subject, pk, *, now, busy_until=None):
    """The absolute address of a link made at `now`."""
    return LinkMaker(now).link(user_id, action, subject, pk, busy_until=busy_until)


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
