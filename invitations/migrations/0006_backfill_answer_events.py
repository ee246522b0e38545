"""One AnswerEvent for each invitation answered before answers were kept (0004).

Without it, such an invitation answered again later would have one row, the new answer, and
its first answer would vanish from the client page. Only the current answer is known, so that
is what the row holds, at `responded_at` (the first answer's time).
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

BATCH = 2_000


def backfill(apps, schema_editor):
    """In batches by id (one SELECT and one INSERT each), never a query per invitation."""
    Invitation = apps.get_model("invitations", "Invitation")
    AnswerEvent = apps.get_model("invitations", "AnswerEvent")
    unkept = (
        Invitation.objects.exclude(status="open").filter(responded_at__isnull=False)
        .filter(~Exists(AnswerEvent.objects.filter(invitation=OuterRef("pk"))))
        .order_by("pk")
    )
    fields = ("pk", "owner_id", "responded_at", "status", "response_channel", "decline_reason", "response_message")
    last = 0
    while rows := list(unkept.filter(pk__gt=last).values_list(*fields)[:BATCH]):
        AnswerEvent.objects.bulk_create(
            AnswerEvent(invitation_id=pk, owner_id=owner_id, at=at, status=status, channel=channel,
                        decline_reason=reason, message=message)
            for pk, owner_id, at, status, channel, reason, message in rows
        )
        last = rows[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ("invitations", "0005_sweep_index_by_owner"),
    ]

    operations = [
        # Undone by doing nothing: a backfilled row cannot be told from one respond() wrote (a
        # first answer's row is also at responded_at, with the same values), so deleting "what
        # this made" would delete real answers. The rows are valid under 0005 (the table is
        # 0004's), and applying this again skips every invitation that has one.
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
