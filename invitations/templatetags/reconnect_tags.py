"""`{% due_reconnects_for_user as due %}`: lets the `/` include find its own rows (one query)."""

from django import template
from django.utils import timezone

from invitations.reconnects import due_reconnects

register = template.Library()


@register.simple_tag(takes_context=True)
def due_reconnects_for_user(context):
    user = context["request"].user
    return list(due_reconnects(user, timezone.now())) if user.is_authenticated else []
