"""The digest run's claims (docs/design.md, rules 5 and 6), a batch of users at a time.

One transaction per batch claims every due day in one INSERT ... ON CONFLICT DO NOTHING
RETURNING and queues the won days' e-mails beside the claims, so the unique constraint still
decides races between machines while a batch costs a fixed number of queries.
"""

from django.db import connection, transaction

from invitations.mail import outbox
from invitations.models import Digest, OutboundEmail
from invitations.reminders.problems import served


def claim_all(rendered, *, now, served_profiles=()):
    """Claim each (content, rendered e-mail or None for a quiet day)'s day and queue its e-mail,
    in ONE transaction: the claims in one INSERT ... ON CONFLICT DO NOTHING RETURNING (of N
    runs racing on N machines, the unique constraint gives each day to exactly one, and only
    that one gets it back), the won days' e-mails in one INSERT, linked in one UPDATE, and
    their notification targets' rows beside them (queue_notices). A crash before the commit
    leaves nothing, after it loses nothing. Returns {owner_id: e-mail id or None} of the days
    claimed here."""
    if not rendered:
        return {}
    with transaction.atomic():
        won = insert_claims([content for content, _ in rendered], now=now)
        emails = outbox.queue_emails(digest_rows(rendered, won, now=now))
        Digest.objects.bulk_update([Digest(pk=won[e.owner_id], email_id=e.pk) for e in emails], ["email"])
        outbox.queue_notices(emails, now=now)  # each target's one-line summary, kept with its e-mail
        served("digest", [profile for profile in served_profiles if profile.user_id in won])
    queued = {owner_id: None for owner_id in won}
    queued.update({email.owner_id: email.pk for email in emails})
    return queued


def digest_rows(rendered, won, *, now):
    """The unsaved outbox rows of the won days that have something to say."""
    return [outbox.outbox_row(content.owner, OutboundEmail.Kind.DIGEST, email, now=now)
            for content, email in rendered if email is not None and content.owner.pk in won]


def insert_claims(contents, *, now):
    """INSERT the contents' Digest rows, skipping any day another run holds: {owner_id: digest id}
    of the rows this statement inserted (RETURNING gives back only those)."""
    ops, table = connection.ops, Digest._meta.db_table
    columns = ", ".join(map(ops.quote_name, ["owner_id", "local_date", "claimed_at", "item_count"]))
    moment = ops.adapt_datetimefield_value(now)
    won = {}
    size = (connection.features.max_query_params or 4000) // 4  # SQLite's 999 parameters
    with connection.cursor() as cursor:
        for start in range(0, len(contents), size):
            chunk = contents[start:start + size]
            params = [value for c in chunk for value in (c.owner.pk, ops.adapt_datefield_value(c.local_date),
                                                          moment, c.item_count)]
            cursor.execute(
                f"INSERT INTO {ops.quote_name(table)} ({columns}) VALUES {', '.join(['(%s, %s, %s, %s)'] * len(chunk))}"
                f" ON CONFLICT DO NOTHING RETURNING {ops.quote_name('id')}, {ops.quote_name('owner_id')}", params)
            won.update((owner_id, pk) for pk, owner_id in cursor.fetchall())
    return won
