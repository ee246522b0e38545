"""Rows only the system writes (the outbox, digest claims, heartbeats) have no add page for anyone."""

import pytest
from django.urls import reverse

from invitations.models import Digest, Heartbeat, OutboundEmail

pytestmark = pytest.mark.django_db
SYSTEM_ROWS = [OutboundEmail, Digest, Heartbeat]


def add_url(model):
    return reverse(f"admin:invitations_{model._meta.model_name}_add")


@pytest.mark.parametrize("model", SYSTEM_ROWS, ids=lambda model: model.__name__)
def test_staff_with_the_add_permission_get_no_add_page(staff_alice, model, unchanged):
    with unchanged():
        assert staff_alice.get(add_url(model)).status_code == 403
        assert staff_alice.post(add_url(model), {"kind": "digest", "to": "a@example.com"}).status_code == 403


@pytest.mark.parametrize("model", SYSTEM_ROWS, ids=lambda model: model.__name__)
def test_not_even_a_superuser_gets_one(client, django_user_model, model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-1"))
    assert client.get(add_url(model)).status_code == 403
    changelist = client.get(reverse(f"admin:invitations_{model._meta.model_name}_changelist")).content.decode()
    assert add_url(model) not in changelist
