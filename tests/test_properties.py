"""Property-based: whatever people type, the parsers and the logging path answer with a clear
ValueError / ValidationError, never another exception (a 500 page, a crashed command)."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings, strategies as st

from invitations.clock import parse_date, parse_when, zone_named
from invitations.intake import log_invitation
from invitations.models import Invitation

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ZONES = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"])
# Text that looks like dates often enough to reach the interesting branches.
DATEISH = st.from_regex(r"\A[0-9]{1,6}(-[0-9]{1,3}){0,2}([T ][0-9]{1,2}(:[0-9]{1,2}){0,2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?\Z")
ANY_TEXT = st.one_of(st.text(), DATEISH, st.datetimes().map(dt.datetime.isoformat), st.dates().map(dt.date.isoformat))
DB_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(text=ANY_TEXT, zone=ZONES)
@example(text="0001-01-01T00:00", zone="Europe/Berlin")
@example(text="9999-12-31T23:59-12:00", zone="UTC")
@example(text="2026-03-29T02:30", zone="Europe/Berlin")
def test_parse_when_answers_a_utc_moment_or_a_value_error(text, zone):
    try:
        moment = parse_when(text, zoneinfo.ZoneInfo(zone))
    except ValueError:
        return
    assert moment.utcoffset() == dt.timedelta(0)


@given(text=ANY_TEXT)
def test_parse_date_answers_a_date_or_a_value_error(text):
    try:
        day = parse_date(text)
    except ValueError:
        return
    assert isinstance(day, dt.date)


@given(name=st.one_of(st.text(), st.sampled_from(["Europe", "../etc/passwd", "/etc/localtime", "Europe/", "."])))
def test_zone_named_answers_a_zone_or_a_value_error(name):
    try:
        zone_named(name)
    except ValueError:
        pass


@pytest.mark.django_db
@DB_SETTINGS
@given(
    client=st.text(max_size=220), title=st.text(max_size=220), notes=st.text(max_size=300),
    referred_by=st.text(max_size=30),
    received_at=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
    reply_by=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
)
@example(client="Acme\x00", title="", notes="", referred_by="", received_at=None, reply_by=None)
@example(client="ß", title="", notes="", referred_by="SS", received_at=None, reply_by=None)
@example(client="ǅ", title="", notes="", referred_by="Ǆ", received_at=None, reply_by=None)
def test_logging_arbitrary_text_saves_or_raises_validation_error(alice, client, title, notes, referred_by, received_at, reply_by):
    try:
        invitation = log_invitation(
            alice, now=NOW, client=client, title=title, notes=notes, referred_by=referred_by,
            received_at=received_at, reply_by=reply_by,
        )
    except ValidationError as exc:
        assert exc.message_dict
        return
    invitation.refresh_from_db()
    assert invitation.title == title and invitation.client.name == client.strip()


@pytest.mark.django_db
@DB_SETTINGS
@given(
    data=st.fixed_dictionaries({
        "client": st.text(max_size=220), "title": st.text(max_size=50), "platform": st.text(max_size=12),
        "received_at": ANY_TEXT, "reply_by": ANY_TEXT, "url": st.text(max_size=40),
        "referred_by": st.text(max_size=20), "notes": st.text(max_size=50), "email": st.text(max_size=30),
    })
)
def test_quick_add_with_arbitrary_text_answers_a_page_never_a_crash(alice, client, data):
    client.force_login(alice)
    before = Invitation.objects.count()
    response = client.post(reverse("quick_add"), data)
    assert response.status_code in (200, 302)
    assert Invitation.objects.count() == before + (response.status_code == 302)
