"""Fixtures and helpers of the answer pages' tests: the clock frozen at NOW, alice logged in, one invitation."""


import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)




@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alice_client(client, alice):
    alice.profile.signature = "Alice Example"
    alice.profile.save()
    client.force_login(alice)
    return client


@pytest.fixture
def invitation(alice):
    return log_invitation(
        alice, now=NOW, client="Maya Lindqvist", email="maya@example.com", title="Django API", platform="direct",
    )


def page(response):
    return html.unescape(response.content.decode())


def form_data(**overrides):
    data = {"action": "decline", "reason": "", "busy_until": "", "busy_for": "", "suggest": "",
            "interview_at": "", "channel": "email", "message": ""}
    return {**data, **overrides}


def send(client, invitation, **data):
    """Say the saved answer went out ("I sent it"): saving alone sends nothing (issue 19, item 2)."""
    return client.post(reverse("answer_sent", args=[invitation.pk]), data)


def reconnect_of(invitation):
    return FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT)
