"""Rule 7 for the calendar feed, which has no login: the token is the key, and it opens one user's feed.

The feed's route takes a token, not a pk, so the discovered-route tests explain it
(tests/support/isolation.py) and these try it: another user's token, a wrong one, a replaced one.
"""

import pytest
from django.urls import reverse

from invitations.models import CalendarFeed
from invitations.workspace.calendar import replace_token
from tests.support.isolation import assert_no_alice_text, make_world

pytestmark = pytest.mark.django_db


def feed(client, token):
    return client.get(reverse("calendar_feed", kwargs={"token": token}))


def test_a_users_token_opens_their_feed_and_nobody_elses(client, alices_world, bob, now):
    make_world(bob, now=now, name="Bob Client", title="Bob job")
    alices = CalendarFeed.objects.get(owner=alices_world.owner).token
    bobs = CalendarFeed.objects.get(owner=bob).token

    bob_feed = feed(client, bobs)
    assert bob_feed.status_code == 200 and bob_feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Bob job" in bob_feed.content.decode()
    assert_no_alice_text(bob_feed)
    assert "Alice secret job" in feed(client, alices).content.decode()


@pytest.mark.parametrize("token", ["wrong", "A" * 43, "' OR 1=1 --", "%00"])
def test_a_wrong_token_is_404(client, alices_world, token):
    assert feed(client, token).status_code == 404


def test_a_replaced_token_is_404_at_once(client, alices_world, now):
    old = CalendarFeed.objects.get(owner=alices_world.owner).token
    new = replace_token(alices_world.owner, now=now)
    assert (feed(client, old).status_code, feed(client, new).status_code) == (404, 200)


def test_the_feed_takes_no_writes(client, alices_world):
    token = CalendarFeed.objects.get(owner=alices_world.owner).token
    assert client.post(reverse("calendar_feed", kwargs={"token": token})).status_code == 405
