"""Dashboard helpers: links to pages other branches add, and durations a person reads."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# Pages agreed with the respond and sweep branches (helper brief, "Agreed public names").
# Until they are merged, their paths are written here, in this one place; once the URL names
# exist, reverse() finds them and this table can be deleted.
AGREED_PATHS = {
    "respond": "/invitations/{pk}/respond/",
    "invitation_detail": "/invitations/{pk}/",
    "reconnect": "/followups/{pk}/reconnect/",
    "followup_snooze": "/followups/{pk}/snooze/",
    "followup_done": "/followups/{pk}/done/",
}


@register.simple_tag
def action_url(name, pk):
    """The URL of an agreed page for object `pk`, by name when it is routed, else by its agreed path."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return AGREED_PATHS[name].format(pk=pk)


@register.filter
def duration(value):
    """A timedelta as "3 h 20 min" or "2 days 4 h"; an em dash for None."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h" if hours else f"{days} day{'s' if days != 1 else ''}"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"
