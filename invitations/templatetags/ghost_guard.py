"""Dashboard and admin fragments of the ghosting guard, each one template line after
{% load ghost_guard %}: {% scheduler_health %} and {% followup_actions followup %}
(done and snooze buttons, for any list of follow-ups).
"""

from django import template
from django.utils import timezone

from invitations.reminders.scheduler_health import sweep_health
from invitations.followups.snoozes import SNOOZE_CHOICES

register = template.Library()

@register.inclusion_tag("invitations/_scheduler_health.html")
def scheduler_health():
    return sweep_health(timezone.now())


@register.inclusion_tag("invitations/_followup_actions.html", takes_context=True)
def followup_actions(context, followup):
    """Done and snooze buttons that bring the user back to the page they were on."""
    return {
        "followup": followup,
        "snooze_choices": SNOOZE_CHOICES,
        "next": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
