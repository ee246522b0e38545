"""Bad input everywhere: stored as typed, shown escaped, refused with a message when it cannot be."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from invitations.accounts import make_freelancer
from invitations.intake.log import log_invitation
from invitations.mail.rendering import render_email
from invitations.models import Client, Invitation
from invitations.reminders.sweep import sweep
from tests.support.isolation import (
    admin_models,
    admin_url,
    body_text,
    make_world,
    owned_by,
    owned_pks,
    pk_routes,
    plain_routes,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("noghost")</script>'
# HTML, a script, an apostrophe, right-to-left override and Arabic, an emoji.
NASTY = f"{SCRIPT} O'Brien & <b>Co</b> \u202eevil\u202c مرحبا 🙂"
RAW_MARKUP = [SCRIPT, "<b>Co</b>", "<img src=x onerror"]


@pytest.fixture
def nasty_world(alice, now):
    invitation = make_world(alice, now=now, name=NASTY, title=NASTY, notes=f"{NASTY} <img src=x onerror=alert(1)>")
    return invitation


@pytest.fixture
def alice_staff(client, alice):
    make_freelancer(alice)
    client.force_login(alice)
    return client


def assert_escaped(response, url):
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return False
    page = response.content.decode()
    for markup in RAW_MARKUP:
        assert markup not in page, f"{url} shows {markup!r} unescaped"
    return True


def test_stored_exactly_as_typed(nasty_world, alice):
    client = Client.objects.get(owner=alice, name=NASTY)
    assert client.company == f"{NASTY} Ltd"
    assert Invitation.objects.get(owner=alice).title == NASTY


def test_every_page_shows_it_escaped(alice_staff, alice, nasty_world):
    checked = []
    for name in plain_routes():
        url = reverse(name)
        if assert_escaped(alice_staff.get(url), url):
            checked.append(url)
    for name in pk_routes():
        for pk in owned_pks(alice):
            url = reverse(name, kwargs={"pk": pk})
            if assert_escaped(alice_staff.get(url), url):
                checked.append(url)
    assert reverse("dashboard") in checked
    dashboard = alice_staff.get(reverse("dashboard")).content.decode()
    assert "&lt;script&gt;alert(&quot;noghost&quot;)&lt;/script&gt;" in dashboard  # shown, not dropped
    assert "\u202eevil\u202c مرحبا 🙂" in dashboard


def test_every_admin_page_shows_it_escaped(alice_staff, alice, nasty_world):
    for model, _ in admin_models():
        rows = owned_by(model, alice)
        if rows is None:
            continue
        url = admin_url(model, "changelist")
        assert_escaped(alice_staff.get(url), url)
        for pk in rows.values_list("pk", flat=True):
            url = admin_url(model, "change", pk)
            assert_escaped(alice_staff.get(url), url)


def test_quick_add_stores_it_as_typed_and_confirms_it_escaped(client, alice):
    client.force_login(alice)
    response = client.post(reverse("quick_add"), {"client": NASTY, "title": NASTY, "platform": "upwork"}, follow=True)
    assert Invitation.objects.get(owner=alice).client.name == NASTY
    assert assert_escaped(response, "quick add")
    assert "Logged " in response.content.decode()


def test_quick_add_redisplays_a_refused_form_escaped(client, alice, unchanged):
    client.force_login(alice)
    with unchanged():
        response = client.post(reverse("quick_add"), {"client": NASTY, "title": "t" * 201, "platform": "upwork"})
    assert response.context["form"].errors["title"]
    assert assert_escaped(response, "quick add")


# --- e-mails ------------------------------------------------------------------------------------

@pytest.fixture
def probe_email(tmp_path, settings):
    """A throwaway e-mail trio that prints the client's name, rendered by the real render_email."""
    folder = tmp_path / "emails" / "probe"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("New invitation from {{ name }}\n")
    (folder / "body.txt").write_text("Client: {{ name }}\nLink: {{ site_url }}/\n")
    (folder / "body.html").write_text("<p>Client: {{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "probe"


def test_emails_escape_html_and_keep_text_as_typed(probe_email):
    rendered = render_email(probe_email, {"name": NASTY})
    assert SCRIPT not in rendered.html and "&lt;script&gt;" in rendered.html
    assert f"Client: {NASTY}\n" in rendered.text  # plain text: what was typed, not &lt;entities&gt;
    assert rendered.subject == f"New invitation from {NASTY}"


def test_a_real_nudge_shows_a_nasty_client_escaped_in_html_and_as_typed_in_text(alice, now):
    name = "<script>alert(1)</script> & Co \u202eevil\u202c مرحبا 🙂"
    title = "Landing page שלום 🚀 <b>now</b>"
    log_invitation(alice, now=now, client=name, title=title, received_at=now - dt.timedelta(hours=30))

    assert sweep(now).sent == 1

    [message] = mail.outbox
    html = message.alternatives[0].content
    assert "<script>" not in html and "<b>now</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co \u202eevil\u202c مرحبا 🙂" in html
    assert "Landing page שלום 🚀 &lt;b&gt;now&lt;/b&gt;" in html
    assert f"- {name}: {title}\n" in message.body  # the text part: as typed, no entities
    assert message.subject == f"{name} is waiting for your answer"


def test_no_email_html_template_switches_escaping_off():
    from django.conf import settings

    problems = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for template in sorted(folder.glob("emails/*/body.html")):
            text = template.read_text()
            if "|safe" in text or "autoescape off" in text:
                problems.append(str(template))
    assert not problems, f"these e-mail HTML bodies print user text unescaped: {problems}"


# --- CSV exports ----------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("name", ["export_invitations", "export_analytics"])
def test_csv_exports_neutralise_formulas(client, alice, now, name):
    url = reverse(name)
    for formula in FORMULAS:
        make_world(alice, now=now, name=formula, title=formula)
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(body_text(response))) for cell in row]
    dangerous = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@") and any(f in cell for f in FORMULAS)]
    assert not dangerous, f"{name} lets a spreadsheet run {dangerous}"


# --- refused with a message ------------------------------------------------------------------

@time_machine.travel("2026-11-20 09:00Z", tick=False)
@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"client": "c" * 201}, "client", "at most 200 characters"),
        ({"company": "c" * 201}, "company", "at most 200 characters"),
        ({"notes": "n" * 10_001}, "notes", "at most 10000 characters"),
        ({"url": "https://example.com/" + "x" * 500}, "url", "at most 500 characters"),
        ({"client": "Acme\x00"}, "client", "Null characters are not allowed."),
        ({"received_at": "0001-01-01T00:00"}, "received_at", ""),
        ({"received_at": "9999-12-31T23:59"}, "received_at", "Received is in the future"),
        ({"received_at": "12026-01-01T00:00"}, "received_at", "Enter a valid date/time."),
        ({"reply_by": "9999-12-31T23:59"}, "reply_by", ""),
    ],
)
def test_quick_add_refuses_out_of_range_input_with_a_message(client, alice, unchanged, data, field, message):
    client.force_login(alice)
    with unchanged():
        response = client.post(reverse("quick_add"), {"client": "Acme", "platform": "upwork", **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors


@pytest.mark.parametrize(
    "option, value",
    [("--received", "0001-01-01T00:00"), ("--received", "9999-12-31T23:59"), ("--reply-by", "9999-12-31T23:59"),
     ("--client", "c" * 201), ("--notes", "n" * 10_001)],
)
def test_log_invitation_command_refuses_out_of_range_input(alice, unchanged, option, value):
    args = {"--client": "Acme", option: value}
    with unchanged(), pytest.raises(CommandError, match=option):
        call_command("log_invitation", "--user", "alice", *[part for pair in args.items() for part in pair])


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("timezone", "Mars/Olympus_Mons", "is not a known IANA time zone"),
        ("timezone", "Europe/Berlin" + "x" * 100, "at most 64 characters"),
        ("digest_hour", "24", "less than or equal to 23"),
        ("digest_hour", "-1", "greater than or equal to 0"),
        ("reply_window_hours", "0", "greater than or equal to 1"),
        ("reply_window_hours", "-5", "greater than or equal to"),
        ("reply_window_hours", "721", "less than or equal to 720"),
        ("signature", "s" * 201, "at most 200 characters"),
    ],
)
def test_profile_refuses_impossible_settings_with_a_message(alice_staff, alice, unchanged, field, value, message):
    data = {
        "timezone": "Europe/Berlin", "digest_hour": "8", "reply_window_hours": "24", "digest_enabled": "on",
        "nudges_enabled": "on", "signature": "", field: value,
    }
    with unchanged():
        response = alice_staff.post(admin_url(type(alice.profile), "change", alice.profile.pk), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors.get(field, [])), errors


@time_machine.travel("2026-11-20 09:00Z", tick=False)
@pytest.mark.parametrize(
    "received, reply_by, field, message",
    [
        (("0001-01-01", "00:00:00"), ("", ""), "received_at", "before the year 2000"),
        (("9999-12-31", "23:59:00"), ("", ""), "received_at", "in the future"),
        (("2026-11-20", "08:00:00"), ("9999-12-31", "23:59:00"), "reply_by", "more than a year after"),
    ],
)
def test_admin_refuses_dates_out_of_range_with_a_message(alice_staff, alice, unchanged, received, reply_by, field, message):
    acme = Client.objects.create(owner=alice, name="Acme")
    with unchanged():
        response = alice_staff.post(
            reverse("admin:invitations_invitation_add"),
            {
                "client": acme.pk, "platform": "upwork", "status": "open",
                "received_at_0": received[0], "received_at_1": received[1],
                "reply_by_0": reply_by[0], "reply_by_1": reply_by[1],
                "followups-TOTAL_FORMS": "0", "followups-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
