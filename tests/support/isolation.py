"""What the isolation and bad-input tests discover about the project, instead of listing it.

Routes come from the URL resolver and models from admin.site, so a page, an admin model or an
action added later is covered by the same tests without being listed here.
"""

import datetime as dt

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import get_resolver, reverse

from invitations.followups.lifecycle import open_followup
from invitations.intake.capture import capture
from invitations.intake.log import log_invitation
from invitations.mail.notify import add_target
from invitations.mail.outbox import queue_email
from invitations.mail.rendering import RenderedEmail
from invitations.models import (
    AnswerEvent,
    Digest,
    FollowUpKind,
    Mailbox,
    MailboxFolder,
    NoticedReply,
    Status,
    UnsentAnswer,
    UsedLink,
    Wording,
)
from invitations.vault import seal
from invitations.workspace.calendar import replace_token

# Routes with arguments other than a single `pk`, and why they need no owner check. A new
# route with other arguments fails test_every_route_with_arguments_is_understood until it is
# either given a `pk` or explained here.
ROUTES_WITHOUT_OWNED_ARGUMENTS = {
    "password_reset_confirm": "uidb64 + token: Django checks the token; it names no row of ours",
    "calendar_feed": "token: the feed's own key, no login; tests/cross_cutting/test_calendar_isolation.py tries "
                     "another user's, a wrong and a replaced one",
    "one_click": "user_id + token: a signed link from a reminder, no login; test_isolation.py tries Bob's link "
                 "on Alice's invitation and Alice's link under Bob's id",
}
# Pages anyone may open without logging in.
PUBLIC_ROUTES = {
    "login", "logout", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
}


def project_routes():
    """(name, parameters) for every named route outside the admin, from the live URL resolver."""
    resolver = get_resolver()
    routes = set()
    for key in resolver.reverse_dict:
        if not isinstance(key, str):
            continue
        for possibilities, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(key):
            for _format, params in possibilities:
                routes.add((key, tuple(params)))
    return sorted(routes)


def plain_routes():
    return [name for name, params in project_routes() if not params]


def pk_routes():
    return [name for name, params in project_routes() if params == ("pk",)]


def owner_field(model):
    """The name of the field that says whose row it is, or None for shared rows."""
    User = get_user_model()
    for name in ("owner", "user"):
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if field.is_relation and field.related_model is User and (field.many_to_one or field.one_to_one):
            return name
    return None


def owned_by(model, user):
    """`user`'s rows of `model` (their own user row for the user model), or None if not owned."""
    if model is get_user_model():
        return model.objects.filter(pk=user.pk)
    field = owner_field(model)
    if field is None:
        return None
    return model._default_manager.filter(**{field: user})


def owned_models():
    """Every model of the invitations app that belongs to a user."""
    from django.apps import apps

    return [m for m in apps.get_app_config("invitations").get_models() if owner_field(m)]


def snapshot(user):
    """Every row `user` owns, as plain values: compared before and after someone else's attempt."""
    return {model._meta.label: list(owned_by(model, user).order_by("pk").values()) for model in owned_models()}


def owned_pks(user):
    pks = set()
    for model in owned_models():
        pks.update(owned_by(model, user).values_list("pk", flat=True))
    return pks


def admin_models():
    return list(admin.site._registry.items())


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_world(user, *, now, name="Acme", title="A job", notes=""):
    """At least one row of every owned model for `user`: clients, invitations, answers, follow-ups, mail,
    digest, an e-mail in the inbox, calendar feed."""
    invitation = log_invitation(
        user, now=now, client=name, company=f"{name} Ltd", title=title, notes=notes,
        referred_by=f"{name} referrer", received_at=now - dt.timedelta(hours=2),
    )
    open_followup(user, FollowUpKind.CUSTOM, now=now, due_at=now + dt.timedelta(days=3), client=invitation.client,
                  note=notes)
    # An earlier answer, as the client page tells it (the invitation itself stays open).
    AnswerEvent.objects.create(owner=user, invitation=invitation, at=now - dt.timedelta(hours=1),
                               status=Status.DECLINED, channel="email", message=notes)
    # An e-mail waiting in the inbox (and with it the forwarding address every user has).
    capture(
        f"From: {name} <client@{name.split()[0].lower()}.example>\nSubject: Interview for {title}?\n"
        f"Message-ID: <{abs(hash((name, title)))}@world.example>\n\nCould we do a call? {notes}\n".encode(),
        owner=user, now=now, via="upload",
    )
    # An answer saved on the respond page and not sent yet.
    UnsentAnswer.objects.create(owner=user, invitation=invitation, saved_at=now, status=Status.DECLINED,
                                channel="email", message=notes)
    email = queue_email(user, "digest", RenderedEmail(f"Digest: {title}", f"{name}: {title}", f"<p>{title}</p>"), now=now)
    Digest.objects.get_or_create(  # one per day: a second world for the same user shares it
        owner=user, local_date=now.date(), defaults={"claimed_at": now, "email": email, "item_count": 1}
    )
    replace_token(user, now=now)  # the calendar feed's address
    add_target(user, label=f"{name} phone"[:60],  # the form caps a label at 60
               url=f"json://127.0.0.1:9/{name.split()[0].lower()}", now=now)
    UsedLink.objects.create(owner=user, nonce=f"{abs(hash((name, title, user.pk))):x}"[:32], action="snooze",
                            used_at=now)
    # Their own wording of a decline's opening (/settings/messages/), in their language.
    Wording.objects.get_or_create(owner=user, language=user.profile.language, part="opening", channel="",
                                  defaults={"text": f"Thanks, $first_name, for thinking of me. {notes}"})
    mailbox_world(user, invitation, now=now, notes=notes)
    return invitation


def mailbox_world(user, invitation, *, now, notes):
    """Their mailbox (failing, mid-sync), a folder's watermark and a reply noticed in it."""
    mailbox, _ = Mailbox.objects.get_or_create(owner=user, defaults={
        "host": "imap.example.org", "username": f"{notes or user.username}@example.org", "password": seal("app-secret"),
        "folders": f"INBOX, {notes or 'Jobs'}", "state": Mailbox.State.FAILING, "failing_since": now,
        "last_error": f"imap.example.org refused {notes}", "progress_done": 12, "progress_total": 40,
    })
    MailboxFolder.objects.get_or_create(owner=user, mailbox=mailbox, name=notes or "INBOX",
                                        defaults={"uidvalidity": 7, "last_uid": 12})
    NoticedReply.objects.create(owner=user, invitation=invitation, sent_at=now, message=f"Thanks! {notes}")


def grant_every_permission(user):
    """Staff with every permission there is (users, groups, the task queue's included): the
    admin's scoping, not a missing permission, has to keep them out of others' rows."""
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())


def body_text(response):
    """A response's body as text, whether it streams (the CSV exports) or not."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig", errors="replace")


def refused_by_admin(response):
    """The admin refuses a row it cannot see: 403, 404, or Django's "does not exist" redirect."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def assert_no_alice_text(response):
    page = body_text(response)
    for secret in ("Alice Secret Client", "Alice secret job", "alice-private-note"):
        assert secret not in page, f"{response.request['PATH_INFO']} shows Alice's {secret!r} to Bob"
