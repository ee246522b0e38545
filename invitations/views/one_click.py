"""`/go/<user>/<token>/`: a one-click link from a reminder (docs/design.md, rule 16).

The link is the credential, so it works without logging in; but a GET (a mail scanner, a
preview) only shows what it would do, and only the POST of that page acts, once. A used,
expired or tampered link says so, with a way to log in and do it by hand.
"""

from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from invitations.answers.one_click import SNOOZE_FOR, CannotAct, LinkUsed, target_of, use
from invitations.mail.links import LinkError, read_link
from invitations.models import FollowUpKind, UsedLink

PROBLEMS = {
    "tampered": (400, "This link is not valid", "It may have been cut short or changed on the way."),
    "expired": (410, "This link has expired", "Links in reminders work for 7 days."),
    "used": (410, "This link was used already", "Each link in a reminder works once."),
    "foreign": (400, "This link is not valid", "It names nothing of the account it was made for."),
}
DESCRIPTIONS = {"snooze": "Snooze it for a day", "open": "Open the answer", "decline": "Decline as busy"}


def problem(request, reason, *, detail=""):
    status, title, why = PROBLEMS.get(reason, (409, "Nothing was changed", ""))
    return render(request, "invitations/one_click_problem.html",
                  {"title": title, "why": detail or why, "login_url": reverse("login")}, status=status)


def checked(user_id, token, now):
    """(link, owner, target) of a sound, unused link, or the problem's key."""
    try:
        link = read_link(user_id, token, now=now)
    except LinkError as error:
        return error.reason
    owner = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    target = target_of(link, owner) if owner is not None else None
    if target is None:
        return "foreign"
    if UsedLink.objects.filter(nonce=link.nonce).exists():
        return "used"
    return link, owner, target


@require_http_methods(["GET", "POST"])
def one_click(request, user_id, token):
    """GET: say what the link would do, with one button; POST: do it, once."""
    now = timezone.now()
    found = checked(user_id, token, now)
    if isinstance(found, str):
        return problem(request, found)
    link, owner, target = found
    if request.method == "GET":
        return render(request, "invitations/one_click.html",
                      {"link": link, "target": target, "button": DESCRIPTIONS[link.action]})
    try:
        done = use(link, target, owner=owner, now=now)
    except LinkUsed:
        return problem(request, "used")
    except CannotAct as error:
        return problem(request, "cannot", detail=str(error))
    if done.action == "open":
        return redirect(opened(done))
    return render(request, "invitations/one_click_done.html", {"done": done, "until": now + SNOOZE_FOR})


def opened(done):
    """Where "Open" leads: the answer page, a reconnect's message, or what a follow-up is about."""
    if done.invitation is not None:
        return reverse("respond", kwargs={"pk": done.invitation.pk})
    followup = done.followup
    if followup.kind == FollowUpKind.RECONNECT:
        return reverse("reconnect", kwargs={"pk": followup.pk})
    if followup.invitation_id:
        return reverse("invitation_detail", kwargs={"pk": followup.invitation_id})
    return reverse("client_detail", kwargs={"pk": followup.client_id})
