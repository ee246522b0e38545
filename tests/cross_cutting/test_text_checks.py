"""One set of text checks at every way in: a NUL, a control character other than tab and new line,
or an over-long note is refused under the field's name, on every form, admin page and command,
and nothing is written. (What is already stored with them is backed up whole: test_backups.py.)"""

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
import time_machine
from django import forms
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.urls import reverse

import invitations.forms
from invitations.accounts import make_freelancer
from invitations.followups.lifecycle import open_followup
from invitations.forms.text import CheckedText
from invitations.intake.log import log_invitation
from invitations.models import Client, FollowUpKind
from tests.support.isolation import admin_url

pytestmark = pytest.mark.django_db
NOW = "2026-11-20 09:00Z"
# A form feed and a vertical tab (the quick-add page took both), a terminal escape, a NUL, DEL.
BAD_TEXT = ["page\x0cbreak", "ad\x0bmin", "\x1b[31mred", "nul\x00", "del\x7f"]


@pytest.fixture
def as_alice(client, alice):
    make_freelancer(alice)
    client.force_login(alice)
    return client


@pytest.fixture
def invitation(alice):
    return log_invitation(alice, now=dt.datetime(2026, 11, 20, 8, tzinfo=dt.timezone.utc), client="Acme", title="Job")


def errors_of(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


# --- every form ----------------------------------------------------------------------------------

def every_form_class():
    for module in pkgutil.iter_modules(invitations.forms.__path__):
        loaded = importlib.import_module(f"invitations.forms.{module.name}")
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == loaded.__name__:
                yield cls


@pytest.mark.parametrize("form", list(every_form_class()), ids=lambda cls: cls.__name__)
def test_every_form_of_ours_checks_its_text_fields(form):
    assert issubclass(form, CheckedText), f"{form.__name__} should mix in forms.text.CheckedText"


def test_every_admin_form_checks_its_text_fields():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("invitations", "auth") and model.__name__ != "Group":
            assert issubclass(model_admin.form, CheckedText), model
            for inline in model_admin.inlines:
                assert issubclass(inline.form, CheckedText), inline


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("text", BAD_TEXT)
@pytest.mark.parametrize("field", ["client", "company", "title", "notes", "referred_by"])
def test_quick_add_refuses_control_characters(as_alice, unchanged, field, text):
    with unchanged():
        response = as_alice.post(reverse("quick_add"), {"client": "Acme", "platform": "upwork", field: text})
    assert "are not allowed" in " ".join(errors_of(response)[field])


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("text", BAD_TEXT)
def test_respond_refuses_control_characters_in_the_message(as_alice, invitation, unchanged, text):
    with unchanged():
        response = as_alice.post(reverse("respond", args=[invitation.pk]),
                                 {"action": "decline", "channel": "email", "message": text})
    assert "are not allowed" in " ".join(errors_of(response)["message"])


@time_machine.travel(NOW, tick=False)
def test_the_client_page_refuses_a_contact_note_with_a_form_feed(as_alice, invitation, unchanged):
    with unchanged():
        response = as_alice.post(reverse("client_detail", args=[invitation.client_id]),
                                 {"channel": "phone", "note": "page\x0cbreak"})
    assert "U+000C are not allowed" in " ".join(errors_of(response)["note"])


# --- the follow-up's Done form (it skipped every check) -------------------------------------------

@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("note, problem", [
    ("nul\x00", "Null characters are not allowed."),  # a 500 on PostgreSQL before
    ("page\x0cbreak", "U+000C are not allowed"),
    ("n" * 1_000_000, "at most 10000 characters"),  # stored whole before
])
def test_done_refuses_a_bad_note_with_a_message_and_writes_nothing(as_alice, invitation, unchanged, note, problem):
    followup = invitation.followups.get(kind=FollowUpKind.REPLY)
    with unchanged():
        response = as_alice.post(reverse("followup_done", args=[followup.pk]), {"note": note}, follow=True)
    assert response.status_code == 200
    assert "Not done: Note:" in response.content.decode() and problem in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_done_keeps_a_plain_note(as_alice, invitation):
    # Not the reply: Done may not close the reply of an unanswered invitation (issue 19, item 3).
    followup, _ = open_followup(invitation.owner, FollowUpKind.CUSTOM, now=NOW, due_at=NOW, invitation=invitation)
    as_alice.post(reverse("followup_done", args=[followup.pk]), {"note": "Called.\r\nThey\tsaid yes.", "channel": "phone"})
    followup.refresh_from_db()
    assert (followup.done_note, followup.done_channel) == ("Called.\r\nThey\tsaid yes.", "phone")


# --- the admin -----------------------------------------------------------------------------------

@time_machine.travel(NOW, tick=False)
def test_the_admin_refuses_a_client_note_with_a_vertical_tab(as_alice, unchanged):
    with unchanged():
        response = as_alice.post(admin_url(Client, "add"), {"name": "Acme", "notes": "ad\x0bmin"})
    assert "U+000B are not allowed" in " ".join(response.context["adminform"].form.errors["notes"])


@time_machine.travel(NOW, tick=False)
def test_the_admin_refuses_a_signature_with_an_escape(as_alice, alice, unchanged):
    data = {"timezone": "Europe/Berlin", "digest_hour": "8", "reply_window_hours": "24", "signature": "\x1b[31mAlice"}
    with unchanged():
        response = as_alice.post(admin_url(type(alice.profile), "change", alice.profile.pk), data)
    assert "U+001B are not allowed" in " ".join(response.context["adminform"].form.errors["signature"])


# --- commands ------------------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--client", "--title", "--notes", "--company"])
def test_log_invitation_refuses_control_characters(alice, unchanged, option):
    args = {"--client": "Acme", option: "page\x0cbreak"}
    with unchanged(), pytest.raises(CommandError, match=f"{option}: Control characters such as U\\+000C"):
        call_command("log_invitation", "--user", "alice", *[part for pair in args.items() for part in pair])


def test_respond_refuses_control_characters(invitation, unchanged):
    with unchanged(), pytest.raises(CommandError, match="--message: Control characters such as U\\+001B"):
        call_command("respond", str(invitation.pk), "--decline", "--message", "\x1b[2J")


def test_createfreelancer_refuses_control_characters(monkeypatch, unchanged, db):
    monkeypatch.setenv("NEW_PASSWORD", "a-long-password-1")
    with unchanged(), pytest.raises(CommandError, match="--email: Control characters"):
        call_command("createfreelancer", "carol", "--email", "carol\x0b@example.com", "--password-from-env",
                     "NEW_PASSWORD")
