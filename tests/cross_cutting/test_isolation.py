"""Rule 7 on the pages: each user sees and changes only their own rows (docs/design.md, rule 7).

Bob is staff with every permission there is and asks for Alice's rows by id. Routes are
discovered (tests/support/isolation.py), so pages added later are covered without editing this file.
"""

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
