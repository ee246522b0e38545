"""Responding (rule 3): the answer, the follow-ups it closes and opens, and every refusal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from invitations.answers.respond import LateCancellation, respond
from invitations.intake.log import log_invitation
from invitations.models import Channel, FollowUp, FollowUpKind, Invitation, Status

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
HOUR = dt.timedelta(hours=1)
D = dt.date


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def open_kinds(invitation):
    return sorted(FollowUp.objects.filter(invitation=invitation, done_at=None).values_list("kind", flat=True))


@pytest.fixture
def invitation(alice, now):
    return log_invitation(alice, now=now, client="Maya Lindqvist", title="Django API", platform="upwork")


def test_decline_with_busy_period_closes_reply_and_opens_reconnect_at_digest_hour(invitation, now):
    answer = respond(invitation, now=now + HOUR, action="decline", busy_until=D(2026, 12, 14))

    invitation.refresh_from_db()
    assert (invitation.status, invitation.responded_at, invitation.decline_reason, invitation.busy_until) == (
        Status.DECLINED, now + HOUR, "busy", D(2026, 12, 14),  # a stated busy period is the reason
    )
    assert invitation.response_channel == Channel.PLATFORM  # an Upwork invitation is answered there
    assert invitation.response_message == answer.draft.platform
    reply = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.REPLY)
    assert reply.done_at == now + HOUR
    reconnect = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT)
    # Due ON the last busy day, at 08:00 in Berlin (CET, UTC+1).
    assert (reconnect.due_at, reconnect.done_at, reconnect.client) == (at(2026, 12, 14, 7), None, invitation.client)
    assert answer.opened == [reconnect]
    assert answer.closed == 1


@pytest.mark.parametrize("zone, busy_until, hour, due", [
    ("Europe/Berlin", D(2027, 3, 27), 8, at(2027, 3, 27, 7)),    # the day before spring forward: CET
    ("Europe/Berlin", D(2027, 3, 28), 8, at(2027, 3, 28, 6)),    # spring forward day: CEST
    ("Europe/Berlin", D(2027, 3, 28), 2, at(2027, 3, 28, 1)),    # 02:00 does not exist: just after the gap
    ("Europe/Berlin", D(2027, 10, 31), 8, at(2027, 10, 31, 7)),  # fall back day: CET again
    ("Europe/Berlin", D(2027, 10, 31), 2, at(2027, 10, 31, 0)),  # 02:00 twice: the first one (CEST)
    ("America/New_York", D(2027, 3, 14), 8, at(2027, 3, 14, 12)),  # EDT
    ("America/New_York", D(2027, 3, 13), 8, at(2027, 3, 13, 13)),  # EST
    ("America/New_York", D(2027, 3, 14), 2, at(2027, 3, 14, 7)),   # the gap: 03:00 EDT
    ("America/New_York", D(2027, 11, 7), 8, at(2027, 11, 7, 13)),  # back to EST
    ("Pacific/Auckland", D(2027, 2, 28), 8, at(2027, 2, 27, 19)),  # NZDT, the day before in UTC
    ("Pacific/Auckland", D(2027, 4, 4), 8, at(2027, 4, 3, 20)),    # NZ falls back: NZST
    ("Pacific/Honolulu", D(2027, 3, 14), 8, at(2027, 3, 14, 18)),  # UTC-10 all year: the US change moves nothing
    ("Pacific/Honolulu", D(2027, 11, 7), 8, at(2027, 11, 7, 18)),
    ("Pacific/Honolulu", D(2027, 3, 13), 20, at(2027, 3, 14, 6)),  # an evening digest: the next day in UTC
])
def test_reconnect_is_due_at_the_digest_hour_local_time_across_dst(make_user, now, zone, busy_until, hour, due):
    user = make_user("carol", timezone=zone, digest_hour=hour)
    invitation = log_invitation(user, now=now, client="Acme")

    respond(invitation, now=now, action="decline", busy_until=busy_until)

    assert FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT).due_at == due


# 12:00 UTC on 30 January 2027: already 31 January (01:00) in Auckland, still 30 January (02:00)
# in Honolulu. Auckland's today is never behind Honolulu's, so no date is past in Honolulu and not in
# Auckland; the other way round shows at the far end instead, five years on.
@pytest.mark.parametrize("zone, busy_until, refusal", [
    ("Pacific/Auckland", D(2027, 1, 30), "in the past"),
    ("Pacific/Honolulu", D(2027, 1, 30), "is today"),
    ("Pacific/Auckland", D(2027, 1, 31), "is today"),
    ("Pacific/Honolulu", D(2027, 1, 31), None),
    ("Pacific/Auckland", D(2032, 1, 31), None),
    ("Pacific/Honolulu", D(2032, 1, 31), "more than five years away"),
])
def test_busy_until_is_checked_against_the_users_own_date_in_far_zones(make_user, unchanged, zone, busy_until, refusal):
    now = at(2027, 1, 30, 12)
    user = make_user("far", timezone=zone)
    invitation = log_invitation(user, now=now, client="Far Away Ltd")

    if refusal is None:
        respond(invitation, now=now, action="decline", busy_until=busy_until)
        invitation.refresh_from_db()
        assert invitation.busy_until == busy_until
        return
    with unchanged(), pytest.raises(ValidationError) as raised:
        respond(invitation, now=now, action="decline", busy_until=busy_until)
    assert refusal in raised.value.message_dict["busy_until"][0]


def test_referred_decline_opens_notify_referrer_about_the_referrer(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", referred_by="Jonas Weber")

    answer = respond(invitation, now=now, action="decline", reason="rate")

    notify = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.NOTIFY_REFERRER)
    assert (notify.client.name, notify.due_at, notify.done_at) == ("Jonas Weber", now, None)
    assert answer.opened == [notify]
    assert open_kinds(invitation) == [FollowUpKind.NOTIFY_REFERRER]


def test_accepting_a_referred_invitation_owes_the_referrer_nothing_by_rule(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", referred_by="Jonas Weber")

    respond(invitation, now=now, action="accept")

    assert open_kinds(invitation) == []


def test_a_decline_turned_into_an_acceptance_keeps_the_word_to_the_referrer_and_says_you_took_it(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", title="Django API", referred_by="Jonas Weber")
    respond(invitation, now=now, action="decline", reason="rate")
    notify = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.NOTIFY_REFERRER)
    assert notify.note == "Tell Jonas Weber you declined “Django API” from Acme, and thank them."

    respond(invitation, now=now + HOUR, action="accept")

    notify.refresh_from_db()
    assert notify.done_at is None  # the referrer still hears what happened
    assert notify.note == "Tell Jonas Weber you took “Django API” from Acme after all, and thank them."
    assert "declin" not in notify.note

    respond(invitation, now=now + 2 * HOUR, action="decline")
    notify.refresh_from_db()
    assert "you declined" in notify.note
    assert open_kinds(invitation) == [FollowUpKind.NOTIFY_REFERRER]  # still one


@pytest.mark.parametrize("action", ["decline", "accept"])
def test_phone_answer_opens_confirm_in_writing(invitation, now, action):
    answer = respond(invitation, now=now, action=action, channel="phone")

    invitation.refresh_from_db()
    assert invitation.response_channel == Channel.PHONE
    assert invitation.response_message == answer.draft.phone
    assert open_kinds(invitation) == [FollowUpKind.CONFIRM_IN_WRITING]


def test_answering_twice_never_doubles_a_followup(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", referred_by="Jonas")
    kwargs = dict(action="decline", busy_until=D(2026, 12, 14), channel="phone")
    first = respond(invitation, now=now, **kwargs)
    second = respond(invitation, now=now + HOUR, **kwargs)

    assert len(first.opened) == 3 and second.opened == []
    assert open_kinds(invitation) == ["confirm_in_writing", "notify_referrer", "reconnect"]
    invitation.refresh_from_db()
    assert invitation.responded_at == now  # the first answer is the response time


def test_declining_again_with_a_new_period_re_dates_the_reconnect(invitation, now):
    respond(invitation, now=now, action="decline", busy_until=D(2026, 12, 14))
    respond(invitation, now=now, action="decline", busy_until=D(2027, 1, 11))

    reconnect = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT)
    assert reconnect.due_at == at(2027, 1, 11, 7)


def test_accepting_after_declining_clears_the_decline_and_its_reconnect(invitation, now):
    respond(invitation, now=now, action="decline", busy_until=D(2026, 12, 14))
    interview = now + 3 * 24 * HOUR

    respond(invitation, now=now + HOUR, action="accept", interview_at=interview)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason, invitation.busy_until, invitation.interview_at) == (
        Status.ACCEPTED, "", None, interview,
    )
    assert open_kinds(invitation) == []
    assert FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT).done_at == now + HOUR


def test_accept_records_the_interview_and_drafts_a_confirmation(invitation, now):
    answer = respond(invitation, now=now, action="accept", interview_at=at(2026, 11, 24, 15), channel="email")

    invitation.refresh_from_db()
    assert invitation.interview_at == at(2026, 11, 24, 15)
    assert "Tuesday 24 November at 16:00 CET works for me" in invitation.response_message
    assert answer.draft.subject == "Glad to talk: Django API"


def test_withdrawn_closes_the_reply_and_keeps_no_message(invitation, now):
    respond(invitation, now=now, action="withdrawn")

    invitation.refresh_from_db()
    assert (invitation.status, invitation.response_channel, invitation.response_message) == (Status.WITHDRAWN, "", "")
    assert open_kinds(invitation) == []


def test_given_message_is_kept_and_checked_for_contact_details_on_platforms(invitation, now):
    answer = respond(invitation, now=now, action="decline", message="  No thanks; mail me at me@example.com  ")

    invitation.refresh_from_db()
    assert invitation.response_message == "No thanks; mail me at me@example.com"
    assert "remove me@example.com" in answer.warning


@pytest.fixture
def accepted(invitation, now):
    respond(invitation, now=now, action="accept", interview_at=now + 20 * HOUR)
    return invitation


def test_cancelling_an_accepted_interview_less_than_a_day_ahead_asks_first(accepted, now, unchanged):
    with unchanged(), pytest.raises(LateCancellation) as raised:
        respond(accepted, now=now, action="decline", reason="accepted_other")
    assert "20 hours" in str(raised.value)


def test_forced_late_cancellation_declines_and_the_draft_says_sorry_and_suggests_calling(accepted, now):
    answer = respond(accepted, now=now, action="decline", reason="accepted_other", force=True, channel="email")

    accepted.refresh_from_db()
    assert accepted.status == Status.DECLINED
    assert "sorry to cancel our interview" in accepted.response_message
    assert any("call them" in line for line in answer.draft.advice)


@pytest.mark.parametrize("hours_ahead", [24, 30, -1])
def test_cancelling_a_day_or_more_ahead_or_after_the_interview_needs_no_confirmation(alice, now, hours_ahead):
    invitation = log_invitation(alice, now=now, client="Acme", received_at=now - 48 * HOUR)
    respond(invitation, now=now - 47 * HOUR, action="accept", interview_at=now + hours_ahead * HOUR)

    respond(invitation, now=now, action="decline")

    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED


@pytest.mark.parametrize("kwargs, field", [
    ({"action": "maybe"}, "action"),
    ({"action": "decline", "reason": "bored"}, "reason"),
    ({"action": "accept", "reason": "rate"}, "reason"),
    ({"action": "decline", "channel": "pigeon"}, "channel"),
    ({"action": "decline", "busy_until": D(2026, 11, 19)}, "busy_until"),
    ({"action": "decline", "busy_until": D(2026, 11, 20)}, "busy_until"),
    ({"action": "decline", "busy_until": D(2032, 1, 1)}, "busy_until"),
    ({"action": "accept", "busy_until": D(2026, 12, 1)}, "busy_until"),
    ({"action": "accept", "suggest": "Sam"}, "suggest"),
    ({"action": "decline", "suggest": "x" * 201}, "suggest"),
    ({"action": "decline", "message": "x" * 10_001}, "message"),
    ({"action": "decline", "message": "No, thank you.\x00"}, "message"),  # PostgreSQL would raise DataError
    ({"action": "decline", "suggest": "Sam\x00"}, "suggest"),
    ({"action": "decline", "interview_at": at(2026, 11, 25)}, "interview_at"),
    ({"action": "accept", "interview_at": at(2026, 11, 1)}, "interview_at"),
])
def test_bad_input_names_the_field_and_changes_nothing(invitation, now, unchanged, kwargs, field):
    with unchanged(), pytest.raises(ValidationError) as raised:
        respond(invitation, now=now, **kwargs)
    assert list(raised.value.message_dict) == [field]


@pytest.mark.parametrize("first, then, says", [
    ("withdrawn", "decline", "withdrew"),
    ("withdrawn", "accept", "withdrew"),
    ("withdrawn", "withdrawn", "withdrew"),
    ("decline", "withdrawn", "declined this invitation already"),
])
def test_answers_that_cannot_follow_are_refused(invitation, now, unchanged, first, then, says):
    respond(invitation, now=now, action=first)
    with unchanged(), pytest.raises(ValidationError) as raised:
        respond(invitation, now=now, action=then)
    assert says in raised.value.message_dict["action"][0]


def test_a_failure_while_opening_followups_leaves_nothing_half_done(invitation, now, unchanged, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("invitations.answers.respond.open_followup", broken)
    with unchanged(), pytest.raises(RuntimeError):
        respond(invitation, now=now, action="decline", busy_until=D(2026, 12, 14))
    assert Invitation.objects.get(pk=invitation.pk).status == Status.OPEN
