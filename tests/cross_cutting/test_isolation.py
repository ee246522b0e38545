"""Rule 7 on the pages: each user sees and changes only their own rows (docs/design.md, rule 7).

Bob is staff with every permission there is and asks for Alice's rows by id. Routes are
discovered (tests/support/isolation.py), so pages added later are covered without editing this file.
"""

import datetime as dt

import pytest
from django.urls import reverse

from invitations.models import InboundAddress, Profile
from tests.support.isolation import (
    PUBLIC_ROUTES,
    ROUTES_WITHOUT_OWNED_ARGUMENTS,
    assert_no_alice_text,
    owned_by,
    owned_models,
    owned_pks,
    pk_routes,
    plain_routes,
    project_routes,
)

pytestmark = pytest.mark.django_db


def test_every_route_with_arguments_is_understood():
    """A route with arguments other than `pk` must be made owner-checkable or explained."""
    unknown = [
        (name, params) for name, params in project_routes()
        if params and params != ("pk",) and name not in ROUTES_WITHOUT_OWNED_ARGUMENTS
    ]
    assert not unknown, f"teach tests/support/isolation.py about these routes: {unknown}"


def test_isolation_fixture_has_a_row_of_every_owned_model(alices_world, alice):
    empty = [model._meta.label for model in owned_models() if not owned_by(model, alice).exists()]
    assert not empty, f"add rows of {empty} to tests/support/isolation.make_world so their pages are tested"


@pytest.mark.parametrize("name", sorted(set(plain_routes()) - PUBLIC_ROUTES) + pk_routes())
def test_pages_need_a_login(client, alices_world, name):
    url = reverse(name, kwargs={"pk": alices_world.pk} if name in pk_routes() else None)
    response = client.get(url)
    assert response.status_code in (302, 405), f"{url} answers {response.status_code} to a stranger"
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login")), response["Location"]


@pytest.mark.parametrize("name", pk_routes())
def test_pk_pages_refuse_someone_elses_rows(bobs_client, alice, bob, alices_world, unchanged, name):
    # Bob owns only his profile and his address; move them out of the way so every id of Alice's is a fair test
    # (a route's model is unknown here, so an id Bob owns in any table could be his own page).
    Profile.objects.filter(user=bob).update(id=10_000_000)
    InboundAddress.objects.filter(owner=bob).update(id=10_000_000)
    candidates = sorted(owned_pks(alice))
    assert candidates and not set(candidates) & owned_pks(bob)
    with unchanged():
        for pk in candidates:
            url = reverse(name, kwargs={"pk": pk})
            got = bobs_client.get(url)
            assert got.status_code in (403, 404, 405), f"GET {url}: {got.status_code}"
            posted = bobs_client.post(url, {})
            assert posted.status_code in (403, 404, 405), f"POST {url}: {posted.status_code}"


@pytest.mark.parametrize("name", sorted(set(plain_routes()) - PUBLIC_ROUTES))
def test_plain_pages_show_none_of_someone_elses_rows(bobs_client, alices_world, unchanged, name):
    with unchanged():
        response = bobs_client.get(reverse(name))
    assert_no_alice_text(response)


def one_click_url(user_id, action, pk, *, now, salt_of=None, busy_until=None):
    """A link as a reminder makes it, or (salt_of) signed as another user's link would be."""
    from invitations.mail import links

    if salt_of is None:
        return links.link_url(user_id, action, links.INVITATION, pk, now=now, busy_until=busy_until)
    token = links.MadeAt(now, salt=links.salt(salt_of)).sign_object({"a": action, "s": "i", "p": pk, "n": "f" * 24})
    return reverse("one_click", kwargs={"user_id": user_id, "token": token})


@pytest.mark.parametrize("action", ["snooze", "open", "decline"])
def test_bobs_own_link_cannot_act_on_alices_invitation(client, bob, alices_world, unchanged, frozen, action):
    """A link genuinely signed for Bob that names Alice's invitation: refused, GET and POST alike."""
    url = one_click_url(bob.pk, action, alices_world.pk, now=frozen, busy_until=frozen.date() + dt.timedelta(days=14))
    with unchanged():
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert_no_alice_text(response)


@pytest.mark.parametrize("action", ["snooze", "decline"])
def test_a_link_moved_to_another_users_id_is_tampered(client, alice, bob, alices_world, unchanged, frozen, action):
    """Alice's link under Bob's id (or Bob's signature under Alice's): the salt names the user, so it breaks."""
    with unchanged():
        for url in (one_click_url(bob.pk, action, alices_world.pk, now=frozen, salt_of=alice.pk),
                    one_click_url(alice.pk, action, alices_world.pk, now=frozen, salt_of=bob.pk)):
            response = client.post(url)
            assert response.status_code == 400 and b"not valid" in response.content
            assert_no_alice_text(response)


def test_bobs_mailbox_page_and_posts_reach_only_his_own_mailbox(bobs_client, alice, bob, alices_world, unchanged):
    """Alice's mailbox settings, sync state and noticed replies: not shown to Bob, not changed by his posts."""
    from invitations.models import Mailbox, NoticedReply

    with unchanged():
        page = bobs_client.get(reverse("mailbox_settings"))
        assert page.context["mailbox"] is None and "12 of 40" not in page.content.decode()
        saved = bobs_client.post(reverse("mailbox_settings"), {
            "host": "imap.example.net", "port": "993", "security": "implicit", "username": "bob@example.net",
            "app_password": "bobs-pass", "folders": "INBOX", "sent_folder": "", "first_sync_days": "30"})
        assert saved.status_code == 302
        assert bobs_client.post(reverse("mailbox_remove")).status_code == 302
        alices_reply = NoticedReply.objects.get(owner=alice)
        for answer in ("accepted", "declined"):
            posted = bobs_client.post(reverse("noticed_reply_answer", args=[alices_reply.pk]), {"answer": answer})
            assert posted.status_code == 404
        assert "alice-private-note" not in bobs_client.get(reverse("dashboard")).content.decode()
    assert not Mailbox.objects.filter(owner=bob).exists() and Mailbox.objects.filter(owner=alice).exists()
