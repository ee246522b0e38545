import datetime as dt
import os

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

UTC = dt.timezone.utc


def pytest_collection_modifyitems(config, items):
    """`postgres` tests need PostgreSQL; on the SQLite run they are skipped, never silently passed."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if on_postgres:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def make_user(db):
    def make(username, *, timezone="UTC", **profile):
        user = get_user_model().objects.create_user(username, f"{username}@example.com", "pw-for-tests-1")
        user.profile.timezone = timezone
        for field, value in profile.items():
            setattr(user.profile, field, value)
        user.profile.save()
        return user

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice", timezone="Europe/Berlin")


@pytest.fixture
def bob(make_user):
    return make_user("bob", timezone="America/New_York")


@pytest.fixture
def staff_alice(alice, client):
    """A test client logged in as alice, staff with every permission of the invitations app."""
    from django.contrib.auth.models import Permission

    alice.is_staff = True
    alice.save()
    alice.user_permissions.set(Permission.objects.filter(content_type__app_label="invitations"))
    client.force_login(alice)
    return client


@pytest.fixture
def now():
    return dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen(now):
    """The clock stopped at `now`, for pages and commands that read it: `usefixtures("frozen")`."""
    with time_machine.travel(now, tick=False):
        yield now


@pytest.fixture
def alice_in(client, alice):
    """A test client logged in as alice (no staff powers)."""
    client.force_login(alice)
    return client


def database_state():
    """Every row of the project's tables and the users: compared before and after a refusal."""
    models = [*apps.get_app_config("invitations").get_models(), get_user_model()]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def unchanged(db):
    """Asserts that the block it guards wrote nothing: `with unchanged(): ...`."""
    from contextlib import contextmanager

    @contextmanager
    def guard():
        before = database_state()
        yield
        assert database_state() == before

    return guard


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (tests/support/smtp_faults.py), in NORMAL mode until a test
    sets another, with Django's SMTP backend pointed at it and a short EMAIL_TIMEOUT."""
    from tests.support.smtp_faults import FaultySMTPServer

    with FaultySMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        yield server
