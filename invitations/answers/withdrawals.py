"""The client withdrew: the invitation needs no answer any more."""

from django.db import transaction

from invitations.models import AnswerEvent, FollowUp, FollowUpKind, Invitation, Status, UnsentAnswer


def withdraw(invitations, *, now):
    """Mark the still-open ones among `invitations` withdrawn at `now` and close their reply follow-ups.

    `responded_at` records when the withdrawal was noted, which is what the reply rate reads
    (metrics.WITHDRAWN_IN_TIME); a withdrawal is never counted as an answer. Each is kept as an
    AnswerEvent for the client's history. Answered invitations are left alone. Returns how many changed.
    """
    with transaction.atomic():
        ids = list(invitations.filter(status=Status.OPEN).values_list("pk", flat=True))
        # Conditional on still being open: an answer recorded meanwhile wins.
        changed = Invitation.objects.filter(pk__in=ids, status=Status.OPEN).update(
            status=Status.WITHDRAWN, responded_at=now, updated_at=now
        )
        withdrawn = Invitation.objects.filter(pk__in=ids, status=Status.WITHDRAWN, responded_at=now)
        AnswerEvent.objects.bulk_create(
            AnswerEvent(owner_id=owner_id, invitation_id=pk, at=now, status=Status.WITHDRAWN)
            for pk, owner_id in withdrawn.exclude(answers__status=Status.WITHDRAWN).values_list("pk", "owner_id")
        )
        FollowUp.objects.filter(
            invitation_id__in=ids, invitation__status=Status.WITHDRAWN, kind=FollowUpKind.REPLY, done_at=None
        ).update(done_at=now)
        # An answer saved but not sent has nobody left to go to.
        UnsentAnswer.objects.filter(invitation_id__in=ids, invitation__status=Status.WITHDRAWN).delete()
    return changed
