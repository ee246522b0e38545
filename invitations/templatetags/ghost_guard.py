"""{% load ghost_guard %}{% followup_actions followup %}: Done and Snooze buttons for any list of follow-ups.

Nothing here queries or reads the clock: the views pass what the page shows.
"""

from django import template

from invitations.followups.snoozes import SNOOZE_CHOICES

register = template.Library()


@register.inclusion_tag("invitations/_followup_actions.html", takes_context=True)
def followup_actions(context, followup):
    """Done and snooze buttons that bring the user back to the page they were on."""
    return {
        "followup": followup,
        "snooze_choices": SNOOZE_CHOICES,
        "next": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
