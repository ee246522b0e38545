"""{% load ghost_guard %}{% followup_actions followup %}: Done and Snooze buttons for any list of follow-ups.

Nothing here queries or reads the clock: the views pass what the page shows.
"""

from django import template
from django.core import signing

from invitations.followups.lifecycle import needs_an_answer
from invitations.followups.snoozes import SNOOZE_CHOICES
from invitations.forms.answers import AnsweredElsewhereForm

register = template.Library()
UNDO_TAG = "undo"
UNDO_SALT = "noghost.followups.undo"


@register.inclusion_tag("invitations/_followup_actions.html", takes_context=True)
def followup_actions(context, followup):
    """Done and snooze buttons that bring the user back to the page they were on. The reply of an
    unanswered invitation gets "Answered elsewhere" instead of Done: only an answer closes it."""
    return {
        "followup": followup,
        "answered_elsewhere": AnsweredElsewhereForm(auto_id=False) if needs_an_answer(followup) else None,
        "snooze_choices": SNOOZE_CHOICES,
        "next": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def undo_id(token):
    """The follow-up an Undo token is for (read, not trusted: the Undo view checks the signature)."""
    try:
        return int(signing.loads(token, salt=UNDO_SALT)["id"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return 0


@register.filter
def undo_token(message):
    """The signed Undo token a Done or Snooze message carries in its extra tags ("undo <token>"), or ""."""
    tag, _, token = (message.extra_tags or "").partition(" ")
    return token if tag == UNDO_TAG else ""
