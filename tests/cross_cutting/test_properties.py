"""Property-based: whatever people type, the parsers, the logging path, the composer and answering
answer with a clear ValueError / ValidationError, never another exception (a 500 page, a crashed
command); and a draft for a platform never carries contact details the user did not type."""

import datetime as dt
import zoneinfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from invitations.answers import composer
from invitations.answers.composer import contact_details
from invitations.answers.periods import busy_until_after
from invitations.answers.respond import respond
from invitations.clock import parse_date, parse_when, zone_named
from invitations.intake.log import log_invitation
from invitations.models import Channel, Client, DeclineReason, FollowUp, FollowUpKind, Invitation, Platform, Status

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


# --- busy periods ----------------------------------------------------------------------------------

# `today` comes from the clock: a real date, never within five years of the calendar's end.
TODAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9990, 12, 31))
UNITS = {"day": "days", "week": "weeks", "month": "months"}
PERIODISH = st.builds(
    "{}{}{}{}".format,
    st.sampled_from(["", " ", "+", "-", "\t"]),
    st.integers(min_value=-5, max_value=3000).map(str),
    st.sampled_from(["", " ", "  ", "\u00a0", "\n"]),
    st.sampled_from([*UNITS, *UNITS.values(), "DAYS", "Week", "fortnight", "mo", "years", ""]),
)


@given(text=st.one_of(st.text(), PERIODISH), today=TODAYS)
@example(text="1 month", today=dt.date(2027, 1, 31))
@example(text="0 days", today=dt.date(2026, 11, 20))
@example(text="999999 months", today=dt.date(2026, 11, 20))
def test_busy_for_answers_a_last_day_within_five_years_or_a_value_error(text, today):
    try:
        day = busy_until_after(text, today=today)
    except ValueError as exc:
        assert str(exc)
        return
    assert today < day <= today + relativedelta(years=5)


@given(count=st.integers(min_value=1, max_value=60), unit=st.sampled_from(list(UNITS)), plural=st.booleans(),
       today=TODAYS)
def test_a_well_formed_period_ends_where_relativedelta_says(count, unit, plural, today):
    text = f"{count} {UNITS[unit] if plural else unit}"
    expected = today + relativedelta(**{UNITS[unit]: count})
    if expected > today + relativedelta(years=5):
        return
    assert busy_until_after(text, today=today) == expected


# --- the composer -------------------------------------------------------------------------------

# Text full of what the contact-detail check looks for, and the whitespace tidy() rewrites.
CONTACTISH = st.text(alphabet="0123456789 +-().@ab_\t\n\r\u00a0\u2028\x1c", max_size=40)
TYPED = st.one_of(st.text(max_size=80), CONTACTISH)
ZONE_NAMES = st.sampled_from(["UTC", "Europe/Berlin", "Pacific/Honolulu", "Pacific/Kiritimati"])


def unsaved_invitation(owner, *, name, title, platform, referrer, interview_at=None):
    """An invitation as the composer reads it, without a database round trip per example."""
    client = Client(owner=owner, name=name)
    referred_by = Client(pk=10**9, owner=owner, name=referrer) if referrer else None
    return Invitation(owner=owner, client=client, title=title, platform=platform, referred_by=referred_by,
                      interview_at=interview_at)


def assert_no_new_contact_details(text, typed):
    """Every e-mail address or phone number in `text` is one the user typed (as tidy() lays it out)."""
    laid_out = [" ".join(part.split()) for part in typed]
    for detail in contact_details(text):
        assert any(detail in part for part in laid_out), f"{detail!r} appeared from nowhere in {text!r}"


@pytest.mark.django_db
@DB_SETTINGS
@given(
    name=TYPED, title=TYPED, suggest=TYPED, referrer=TYPED, platform=st.sampled_from(Platform.values),
    reason=st.one_of(st.sampled_from(["", *DeclineReason.values]), st.text(max_size=20)),
    busy_until=st.one_of(st.none(), st.dates()), late=st.booleans(), zone=ZONE_NAMES,
    interview_at=st.one_of(st.none(), st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                                                   timezones=st.just(UTC))),
)
@example(name="Maya 555", title="1234", suggest="", referrer="", platform="upwork", reason="busy",
         busy_until=dt.date(2026, 12, 14), late=False, zone="UTC", interview_at=None)
@example(name="x", title="555\t123 4567", suggest="a@b.co", referrer="+49 (30)", platform="upwork", reason="",
         busy_until=None, late=True, zone="Europe/Berlin", interview_at=None)
def test_decline_drafts_never_crash_and_a_platform_draft_adds_no_contact_details(
        alice, name, title, suggest, referrer, platform, reason, busy_until, late, zone, interview_at):
    invitation = unsaved_invitation(alice, name=name, title=title, platform=platform, referrer=referrer,
                                    interview_at=interview_at)

    draft = composer.compose_decline(invitation, reason=reason, busy_until=busy_until, suggest=suggest, late=late,
                                     zone=zoneinfo.ZoneInfo(zone))

    assert draft.email and draft.platform and draft.phone
    assert_no_new_contact_details(draft.platform, [name, title, suggest, referrer, composer.signature_of(alice)])


@pytest.mark.django_db
@DB_SETTINGS
@given(name=TYPED, title=TYPED, busy_until=st.one_of(st.none(), st.dates()), zone=ZONE_NAMES)
def test_reconnect_drafts_never_crash_and_a_platform_draft_adds_no_contact_details(
        alice, name, title, busy_until, zone):
    invitation = unsaved_invitation(alice, name=name, title=title, platform="upwork", referrer="")
    invitation.busy_until = busy_until
    followup = FollowUp(owner=alice, kind=FollowUpKind.RECONNECT, invitation=invitation, client=invitation.client)

    draft = composer.compose_reconnect(followup, zone=zoneinfo.ZoneInfo(zone))

    assert draft.email and draft.platform and draft.phone
    assert_no_new_contact_details(draft.platform, [name, title, composer.signature_of(alice)])


@pytest.mark.django_db
@DB_SETTINGS
@given(
    action=st.one_of(st.sampled_from(["accept", "decline", "withdrawn"]), st.text(max_size=12)),
    reason=st.one_of(st.sampled_from(["", *DeclineReason.values]), st.text(max_size=20)),
    busy_until=st.one_of(st.none(), st.dates()),
    channel=st.one_of(st.sampled_from(["", *Channel.values]), st.text(max_size=12)),
    message=st.one_of(st.none(), TYPED), suggest=TYPED,
    interview_at=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
)
def test_respond_with_arbitrary_input_answers_or_raises_a_validation_error(
        alice, action, reason, busy_until, channel, message, suggest, interview_at):
    invitation = log_invitation(alice, now=NOW, client="Acme", platform="upwork")
    try:
        answer = respond(invitation, now=NOW, action=action, reason=reason, busy_until=busy_until, channel=channel,
                         message=message, suggest=suggest, interview_at=interview_at)
    except ValidationError as exc:
        assert exc.message_dict
        invitation.refresh_from_db()
        assert invitation.status == Status.OPEN and not invitation.answers.exists()  # nothing written
        return
    assert answer.invitation.status != Status.OPEN


@pytest.mark.django_db
@DB_SETTINGS
@given(data=st.fixed_dictionaries({
    "action": st.one_of(st.sampled_from(["accept", "decline", "withdrawn"]), st.text(max_size=12)),
    "reason": st.text(max_size=20), "busy_until": ANY_TEXT, "busy_for": st.one_of(st.text(max_size=30), PERIODISH),
    "suggest": TYPED, "interview_at": ANY_TEXT, "channel": st.sampled_from(["email", "platform", "phone", "", "fax"]),
    "message": st.text(max_size=100),
}))
def test_the_respond_page_with_arbitrary_text_answers_a_page_never_a_crash(alice, client, data):
    client.force_login(alice)
    invitation = log_invitation(alice, now=NOW, client="Acme", platform="upwork")
    response = client.post(reverse("respond", args=[invitation.pk]), data)
    assert response.status_code in (200, 302)
