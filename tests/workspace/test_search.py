"""Search: every word typed starts a word of the row or its client, any case, any accent, on both databases."""

import datetime as dt

import pytest

from invitations.answers.respond import respond
from invitations.intake.log import log_invitation
from invitations.models import Client, Invitation
from invitations.workspace.search import matching, words

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def logged(alice, bob, now):
    def log(client, title="", **kwargs):
        return log_invitation(alice, now=now, client=client, title=title, received_at=now - H, **kwargs)

    found = {
        "creme": log("Zoë Müller", "Crème brûlée shop", company="Pâtisserie Élan"),
        "api": log("Acme", "Django API review", notes="Wants GraphQL later"),
        "other": log("Nordlight", "Dashboards"),
    }
    answered = log("Quiet Client", "Something else")
    respond(answered, now=now, action="decline", reason="rate", message="Sorry, my rate is higher than that.")
    found["answered"] = answered
    log_invitation(bob, now=now, client="Acme", title="Bob's Django API", received_at=now - H)
    return found


def titles(owner, text):
    return sorted(matching(Invitation.objects.filter(owner=owner), text, paths=("", "client__")).values_list(
        "title", flat=True))


@pytest.mark.parametrize("text", ["creme", "CRÈME", "crème BRÛLÉE", "zoe", "MÜLLER", "patisserie elan", "élan"])
def test_accents_and_case_do_not_matter(alice, logged, text):
    assert titles(alice, text) == ["Crème brûlée shop"]


@pytest.mark.parametrize("text, found", [
    ("acm", ["Django API review"]),  # a word's start is enough
    ("acme api", ["Django API review"]),  # one word from the client, one from the title
    ("graphql", ["Django API review"]),  # the notes
    ("rate higher", ["Something else"]),  # the message sent
    ("cme", []),  # the middle of a word is not a word
    ("acme dashboards", []),  # every word must be found
    ("", ["Crème brûlée shop", "Dashboards", "Django API review", "Something else"]),
    ("!!!", ["Crème brûlée shop", "Dashboards", "Django API review", "Something else"]),  # no word: everything
])
def test_every_word_must_start_a_word_of_the_invitation_or_its_client(alice, logged, text, found):
    assert titles(alice, text) == found


def test_an_edit_is_found_at_once(alice, logged):
    invitation = logged["other"]
    invitation.notes = "Säure"
    invitation.save(update_fields=["notes"])
    client = Client.objects.get(owner=alice, name="Nordlight")
    client.company = "Ørsted"
    client.save()

    assert titles(alice, "saure") == ["Dashboards"]
    assert titles(alice, "ørsted") == ["Dashboards"]


def test_only_the_owners_rows_are_searched(bob, logged):
    assert titles(bob, "django") == ["Bob's Django API"]


def test_a_pasted_paragraph_is_cut_to_its_first_words():
    assert words("one two three four five six seven eight nine ten") == [
        "one", "two", "three", "four", "five", "six", "seven", "eight"]


@pytest.mark.postgres
def test_postgres_searches_with_full_text_through_the_gin_index(alice, logged):
    from django.db import connection

    query = matching(Client.objects.filter(owner=alice), "acme")
    sql = str(query.query)
    assert "to_tsvector" in sql and "noghost_search" in sql
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a handful of rows: the planner would rather scan them
    plan = matching(Client.objects.all(), "acme").explain()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = on")
    assert "client_search" in plan
