"""The mailbox sync (docs/design.md, rule 11): every 5 minutes and `manage.py sync_mail`.

Each mailbox is claimed first (a lease in its row), so several workers never read one at once.
Per folder, only UIDs above the watermark are fetched (the first sync: the last
`first_sync_days`); sizes and Message-IDs come first, so a message over the capture limit is
skipped with a stored reason and one already stored is not fetched again. Each message goes to
capture() (Sent: to replies.notice()); the watermark moves only after a batch is stored, so a
connection dropped mid-fetch resumes where it stopped, and capture's (owner, Message-ID)
constraint turns a re-read into nothing. A new UIDVALIDITY re-reads the window by Message-ID.
A failure marks the mailbox failing, with back-off, and the next mailbox carries on.
"""

import datetime as dt
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from imapclient.exceptions import IMAPClientError

from invitations.intake import replies
from invitations.intake.capture import capture
from invitations.intake.reading import read_headers
from invitations.mailboxes.connection import MailboxError, connect, sent_folder
from invitations.models import InboundMessage, Mailbox, MailboxFolder

LEASE = dt.timedelta(minutes=15)
BACKOFF, MAX_BACKOFF = dt.timedelta(minutes=5), dt.timedelta(hours=6)
BATCH = 100
ID_HEADER = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


@dataclass
class Summary:
    mailboxes: int = 0
    captured: int = 0
    replies: int = 0
    skipped: int = 0
    failed: int = 0

    def __str__(self):
        return (f"{self.mailboxes} mailboxes: {self.captured} messages captured, {self.replies} replies noticed, "
                f"{self.skipped} skipped, {self.failed} failing")


def sync_due(*, now, owner=None):
    """Sync every mailbox not backing off (only `owner`'s, when given); one failing stops nobody."""
    due = Mailbox.objects.filter(Q(retry_after__isnull=True) | Q(retry_after__lte=now)).select_related("owner")
    summary = Summary()
    for mailbox in due.filter(owner=owner) if owner else due:
        sync(mailbox, now=now, summary=summary)
    return summary


def sync(mailbox, *, now, summary=None):
    """Claim `mailbox`, read what is new in its folders, release it; False when another run holds it."""
    summary = summary or Summary()
    token = claim(mailbox, now=now)
    if token is None:
        return False
    run = Run(mailbox, token, now, summary)
    try:
        run.read_all()
    except MailboxError as error:
        failing(mailbox, str(error), now=now, summary=summary)
    except (OSError, IMAPClientError) as error:
        failing(mailbox, f"The connection to {mailbox.host} dropped ({error}); noghost will carry on.", now=now, summary=summary)
    else:
        Mailbox.objects.filter(pk=mailbox.pk).update(
            state=Mailbox.State.OK, last_error="", failing_since=None, failures=0, retry_after=None,
            last_synced_at=now,
        )
    finally:
        Mailbox.objects.filter(pk=mailbox.pk, claim_token=token).update(claim_token="", claimed_at=None)
    summary.mailboxes += 1
    return True


def claim(mailbox, *, now):
    """A token when this run now holds the mailbox (nobody did, or their lease ran out), else None."""
    token = secrets.token_hex(16)
    free = Q(claim_token="") | Q(claimed_at__lt=now - LEASE)
    won = Mailbox.objects.filter(free, pk=mailbox.pk).update(claim_token=token, claimed_at=now)
    return token if won else None


def failing(mailbox, error, *, now, summary):
    """Record why the mailbox cannot be read, since when, and when to try again (doubling)."""
    failures = mailbox.failures + 1
    wait = min(BACKOFF * 2 ** (failures - 1), MAX_BACKOFF)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        state=Mailbox.State.FAILING, last_error=error[:500], failures=failures, retry_after=now + wait,
        failing_since=mailbox.failing_since or now,
    )
    summary.failed += 1


class Run:
    """One claimed sync of one mailbox: the connection, the clock for renewing the lease, the counts."""

    def __init__(self, mailbox, token, now, summary):
        self.mailbox, self.token, self.now, self.summary = mailbox, token, now, summary
        self.started = time.monotonic()

    def read_all(self):
        with connect(self.mailbox) as client:
            self.client = client
            states = folder_states(self.mailbox, sent_folder(client, self.mailbox))
            plans = [(state, self.new_uids(state)) for state in states]
            total = sum(len(uids) for _, uids in plans)
            Mailbox.objects.filter(pk=self.mailbox.pk).update(progress_done=0, progress_total=total)
            for state, uids in plans:
                self.read_folder(state, uids)

    def new_uids(self, state):
        """The UIDs to read in `state`'s folder, oldest first; a new UIDVALIDITY starts the folder over."""
        status = self.client.folder_status(state.name, [b"UIDVALIDITY", b"UIDNEXT"])
        validity, uidnext = status[b"UIDVALIDITY"], status[b"UIDNEXT"]
        if state.uidvalidity != validity:
            state.uidvalidity, state.last_uid = validity, 0
        if state.last_uid and uidnext - 1 <= state.last_uid:
            return []  # nothing new: no SELECT, no SEARCH (a quiet sync costs the same at any size)
        self.client.select_folder(state.name, readonly=True)
        if state.last_uid:
            found = self.client.search(["UID", f"{state.last_uid + 1}:*"])
        else:
            since = (self.now - dt.timedelta(days=self.mailbox.first_sync_days)).date()
            found = self.client.search(["SINCE", since])
            state.last_uid = max(state.last_uid, min(found, default=uidnext) - 1)
        state.save(update_fields=["uidvalidity", "last_uid"])
        return sorted(uid for uid in found if uid > state.last_uid)

    def read_folder(self, state, uids):
        if not uids:
            return
        self.client.select_folder(state.name, readonly=True)
        for start in range(0, len(uids), BATCH):
            batch = uids[start:start + BATCH]
            self.read_batch(state, batch)
            state.last_uid = batch[-1]  # only now: everything up to it is stored
            state.save(update_fields=["last_uid", "skipped"])
            elapsed = dt.timedelta(seconds=time.monotonic() - self.started)
            Mailbox.objects.filter(pk=self.mailbox.pk, claim_token=self.token).update(
                claimed_at=self.now + elapsed, progress_done=F("progress_done") + len(batch),
            )

    def read_batch(self, state, batch):
        wanted = self.wanted(state, self.client.fetch(batch, ["RFC822.SIZE", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]))
        bodies = self.client.fetch(wanted, ["BODY.PEEK[]"]) if wanted else {}
        owner = self.mailbox.owner
        for uid in wanted:
            raw = bodies[uid][b"BODY[]"]
            if state.sent:
                self.summary.replies += bool(replies.notice(raw, owner=owner, now=self.now))
            else:
                capture(raw, owner=owner, now=self.now, via="imap")
                self.summary.captured += 1

    def wanted(self, state, heads):
        """The UIDs to fetch whole: not over the capture limit (those are noted), not stored already."""
        limit, wanted, ids = settings.INBOUND_MAX_BYTES, [], {}
        for uid, data in sorted(heads.items()):
            size = data[b"RFC822.SIZE"]
            if size > limit:
                note = f"{size // 1024} KB, over the {limit // 1024} KB noghost reads"
                state.skipped = [*state.skipped, {"folder": state.name, "uid": uid, "reason": note}][-50:]
                self.summary.skipped += 1
                continue
            wanted.append(uid)
            ids[uid] = read_headers(data.get(ID_HEADER) or b"").message_id
        if state.sent:
            return wanted
        stored = set(
            InboundMessage.objects.filter(owner=self.mailbox.owner, message_id__in=ids.values())
            .values_list("message_id", flat=True)
        )
        return [uid for uid in wanted if ids[uid] not in stored]


def folder_states(mailbox, sent):
    """The MailboxFolder row of each folder to read (made when missing), the Sent folder last."""
    names = {name: False for name in mailbox.watched}
    if sent:
        names[sent] = True
    rows = {row.name: row for row in MailboxFolder.objects.filter(mailbox=mailbox, name__in=names)}
    missing = [MailboxFolder(owner_id=mailbox.owner_id, mailbox=mailbox, name=name, sent=is_sent)
               for name, is_sent in names.items() if name not in rows]
    MailboxFolder.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        rows = {row.name: row for row in MailboxFolder.objects.filter(mailbox=mailbox, name__in=names)}
    return [rows[name] for name in names]
