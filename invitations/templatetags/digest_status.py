"""{% last_digest user now as last %}: the dashboard's "last digest went out" line, without touching its view."""

from django import template

from invitations.reminders.digests import still_its_day
from invitations.models import Digest, OutboundEmail

register = template.Library()


@register.simple_tag
def last_digest(user, now):
    """The user's most recent digest that had something to say (with its e-mail), or None.

    Its `retried` says whether a run still sends it: failed, not given up, and its day not over
    (a digest run never sends a digest for a day gone by, however short of the cap it failed).
    """
    last = (
        Digest.objects.filter(owner=user, email__isnull=False).select_related("email", "owner__profile")
        .order_by("-local_date").first()
    )
    if last is not None:
        email = last.email
        last.retried = email.state == OutboundEmail.State.FAILED and not email.given_up and still_its_day(last, now)
    return last
