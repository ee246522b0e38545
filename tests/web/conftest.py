"""A test client logged in as alice, for the page tests that have no fixture of their own."""

import pytest


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
