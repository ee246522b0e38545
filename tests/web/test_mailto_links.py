"""mailto: links: the client's address is one recipient however it is spelt, on every page that links it."""

import re
import urllib.parse
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from invitations.answers import composer
from invitations.answers.respond import respond
from invitations.models import Client

pytestmark = pytest.mark.django_db
# Django's validator takes it; written into a mailto: as typed, it adds a Bcc and a subject.
SNEAKY = "x?bcc=spy%40evil.example&subject=hi@bobco.example"
NOW = "2026-11-20 09:00Z"


def mailto_links(page):
    return [href.replace("&amp;", "&") for href in re.findall(r'href="(mailto:[^"]*)"', page)]


def recipients_and_fields(link):
    """What a mail program makes of a mailto: URL (RFC 6068): the addresses, and the header fields."""
    address, _, query = link.removeprefix("mailto:").partition("?")
    return [urllib.parse.unquote(address)], urllib.parse.parse_qs(query)


@pytest.fixture
def sneaky_client(client, alice):
    client.force_login(alice)
    client.post(reverse("quick_add"), {"client": "Bobco", "email": SNEAKY, "platform": "direct"})
    return Client.objects.get(owner=alice, email=SNEAKY)  # accepted, as Django's validator does


@time_machine.travel(NOW, tick=False)
def test_every_page_links_the_address_as_one_recipient(client, sneaky_client):
    invitation = sneaky_client.invitations.get()
    respond(invitation, now=invitation.received_at, action="decline", channel="email", message="No, thank you.")

    [link] = mailto_links(client.get(reverse("client_detail", args=[sneaky_client.pk])).content.decode())
    assert recipients_and_fields(link) == ([SNEAKY], {})  # no Bcc, no subject: just the address

    [link] = mailto_links(client.get(reverse("invitation_detail", args=[invitation.pk])).content.decode())
    addresses, fields = recipients_and_fields(link)
    assert addresses == [SNEAKY] and set(fields) == {"subject", "body"}  # the kept message, nothing added
    assert fields["body"] == ["No, thank you."]


def test_mailto_link_encodes_the_whole_address():
    assert composer.mailto_link(SNEAKY) == "mailto:x%3Fbcc%3Dspy%2540evil.example%26subject%3Dhi@bobco.example"


def test_no_template_writes_a_mailto_link_itself():
    templates = Path(__file__).resolve().parents[2] / "templates"
    found = [str(path) for path in templates.rglob("*.html") if "mailto:" in path.read_text()]
    assert not found, f"build these links with answers.composer.mailto_link: {found}"
