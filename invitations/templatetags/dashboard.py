"""Dashboard helpers: durations a person reads."""

from django import template

register = template.Library()


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
