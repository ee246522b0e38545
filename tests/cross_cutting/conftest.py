"""Alice's world and Bob, the staff user with every permission who asks for it (the isolation tests)."""

import pytest

from invitations.accounts import make_freelancer
from tests.support.isolation import grant_every_permission, make_world


@pytest.fixture
def alices_world(alice, now):
    return make_world(alice, now=now, name="Alice Secret Client", title="Alice secret job", notes="alice-private-note")


@pytest.fixture
def bobs_client(client, bob):
    """Bob: a freelancer, and on top of it every permission there is."""
    make_freelancer(bob)
    grant_every_permission(bob)
    client.force_login(bob)
    return client
