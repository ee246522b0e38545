"""The client withdrew: the invitation needs no answer any more."""

from django.db import transaction

from invitations.models import FollowUp, FollowUpKind, Invitation, Status


def withdraw(invitations, *, now):
    """Mark the still-open ones among `invitations` withdrawn at `now` and close their reply follow-ups.

    `responded_at` records when the withdrawal was noted, which is what the reply rate reads
    (metrics.WITHDRAWN_IN_TIME). Answered invitations are left alone. Returns how many changed.
    """
    with transaction.atomic():
        ids = list(invitations.filter(status=Status.OPEN).values_list("pk", flat=True))
        # Conditional on still being open: an answer recorded meanwhile wins.
        changed = Invitation.objects.filter(pk__in=ids, status=Status.OPEN).update(
            status=Status.WITHDRAWN, responded_at=now, updated_at=now
        )
        FollowUp.objects.filter(
            invitation_id__in=ids, invitation__status=Status.WITHDRAWN, kind=FollowUpKind.REPLY, done_at=None
        ).update(done_at=now)
    return changed
