"""`seed_demo` builds a believable month once and only once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from invitations.models import Invitation, Status

pytestmark = pytest.mark.django_db


def test_seeds_a_month_across_platforms_and_states_once(monkeypatch):
    monkeypatch.setenv("NOGHOST_DEMO_USER", "demo-x")
    monkeypatch.setenv("NOGHOST_DEMO_PASSWORD", "s3cret-demo")
    call_command("seed_demo", verbosity=0)
    user = get_user_model().objects.get(username="demo-x")
    assert user.check_password("s3cret-demo")
    first = Invitation.objects.filter(owner=user).count()

    call_command("seed_demo", verbosity=0)

    assert Invitation.objects.filter(owner=user).count() == first >= 20
    statuses = set(Invitation.objects.values_list("status", flat=True))
    assert {Status.OPEN, Status.DECLINED, Status.ACCEPTED} <= statuses
    assert len(set(Invitation.objects.values_list("platform", flat=True))) >= 4
