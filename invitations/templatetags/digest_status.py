"""{% last_digest user as last %}: the dashboard's "last digest went out" line, without touching its view."""

from django import template

from invitations.models import Digest

register = template.Library()


@register.simple_tag
def last_digest(user):
    """The user's most recent digest that had something to say (with its e-mail), or None."""
    return Digest.objects.filter(owner=user, email__isnull=False).select_related("email").order_by("-local_date").first()
