"""`manage.py respond`: the answer from a terminal; errors name the option and write nothing."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from invitations.answers.respond import respond
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind, Status

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def run(*args):
    out = io.StringIO()
    call_command("respond", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def invitation(alice):
    return log_invitation(alice, now=NOW, client="Maya Lindqvist", title="Django API", platform="upwork")


@time_machine.travel(NOW, tick=False)
def test_decline_busy_for_weeks_stores_the_draft_and_prints_the_owner(invitation):
    out = run(invitation.pk, "--decline", "--busy-for", "3 weeks", "--suggest", "Sam Rivera")

    invitation.refresh_from_db()
    assert (invitation.status, invitation.busy_until, invitation.decline_reason) == (
        Status.DECLINED, dt.date(2026, 12, 11), "busy",
    )
    assert "Sam Rivera could be a good fit" in invitation.response_message
    assert f"Invitation {invitation.pk} from Maya Lindqvist (owner: alice) is now declined via platform message." in out
    assert "Opened: Reconnect after the busy period, due 2026-12-11 08:00 CET." in out
    assert invitation.response_message in out


@time_machine.travel(dt.datetime(2027, 1, 30, 12, 0, tzinfo=UTC), tick=False)
def test_busy_for_a_month_from_31_january_in_auckland_ends_28_february(make_user):
    # It is already 31 January in Auckland; one month on is the last day of February.
    user = make_user("kiri", timezone="Pacific/Auckland")
    invitation = log_invitation(user, now=dt.datetime(2027, 1, 30, 12, 0, tzinfo=UTC), client="Kiwi Ltd")

    run(invitation.pk, "--decline", "--busy-for", "1 month", "--channel", "email")

    invitation.refresh_from_db()
    assert invitation.busy_until == dt.date(2027, 2, 28)
    reconnect = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT)
    assert reconnect.due_at == dt.datetime(2027, 2, 27, 19, 0, tzinfo=UTC)  # 08:00 NZDT


@time_machine.travel(NOW, tick=False)
def test_accept_with_interview_in_the_owners_zone_and_a_message(invitation):
    run(invitation.pk, "--accept", "--interview-at", "2026-11-24T16:00", "--channel", "phone", "--message", "Yes!")

    invitation.refresh_from_db()
    assert invitation.interview_at == dt.datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert invitation.response_message == "Yes!"
    assert FollowUp.objects.filter(invitation=invitation, kind=FollowUpKind.CONFIRM_IN_WRITING).exists()


@time_machine.travel(NOW, tick=False)
def test_withdrawn(invitation):
    assert "is now withdrawn." in run(invitation.pk, "--withdrawn")


@time_machine.travel(NOW, tick=False)
def test_platform_message_with_contact_details_is_kept_with_a_warning(invitation):
    out = run(invitation.pk, "--decline", "--message", "Sorry; call me on +1 212 555 0199")
    assert "remove +1 212 555 0199" in out


@time_machine.travel(NOW, tick=False)
def test_late_cancellation_needs_force(invitation, unchanged):
    respond(invitation, now=NOW, action="accept", interview_at=NOW + dt.timedelta(hours=5))

    with unchanged(), pytest.raises(CommandError, match=r"^--force: The interview is in 5 hours"):
        run(invitation.pk, "--decline", "--reason", "accepted_other")

    out = run(invitation.pk, "--decline", "--reason", "accepted_other", "--force", "--channel", "phone")
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED
    assert "call them if you can" in out


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("args, says", [
    (["--decline", "--busy-until", "2026-11-19"], "--busy-until: 2026-11-19 is in the past"),
    (["--decline", "--busy-until", "2026-11-20"], "--busy-until: 2026-11-20 is today"),
    (["--decline", "--busy-until", "next friday"], "--busy-until: 'next friday' is not a date"),
    (["--decline", "--busy-for", "0 weeks"], "--busy-for: '0 weeks' is an empty period"),
    (["--decline", "--busy-for", ""], "--busy-for: is empty"),
    (["--decline", "--busy-for", "a while"], "--busy-for: 'a while' is not a period"),
    (["--decline", "--reason", "bored"], "--reason: 'bored' is not a decline reason"),
    (["--decline", "--channel", "fax"], "--channel: 'fax' is not a channel"),
    (["--accept", "--interview-at", "soon"], "--interview-at: 'soon' is not an ISO 8601"),
    (["--accept", "--reason", "rate"], "--reason: Only a decline has a reason."),
    (["--accept", "--busy-for", "2 weeks"], "--busy-for: Only a decline states a busy period."),
])
def test_bad_options_are_named_and_nothing_is_written(invitation, unchanged, args, says):
    with unchanged(), pytest.raises(CommandError) as raised:
        run(invitation.pk, *args)
    assert str(raised.value).startswith(says)


@time_machine.travel(NOW, tick=False)
def test_unknown_invitation_and_withdrawn_one_are_refused(invitation, unchanged):
    with unchanged(), pytest.raises(CommandError, match="no invitation 999"):
        run(999, "--accept")
    run(invitation.pk, "--withdrawn")
    with unchanged(), pytest.raises(CommandError, match="--decline: The client withdrew"):
        run(invitation.pk, "--decline")


def test_an_action_is_required(invitation):
    with pytest.raises(CommandError, match="one of the arguments --accept --decline --withdrawn is required"):
        run(invitation.pk)


@time_machine.travel(NOW, tick=False)
def test_draft_saves_the_answer_unsent_and_says_where_to_confirm_it(invitation, unchanged):
    """Issue 19, item 2: `respond` records an answer given, as scripts expect; --draft only saves one."""
    out = run(invitation.pk, "--decline", "--busy-for", "3 weeks", "--draft")

    invitation.refresh_from_db()
    assert (invitation.status, invitation.responded_at) == (Status.OPEN, None)
    assert FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.REPLY).done_at is None
    assert invitation.unsent.busy_until == dt.date(2026, 12, 11)
    assert (f"Invitation {invitation.pk} from Maya Lindqvist: declined saved as a draft, not sent (via platform "
            f"message). It stays open until you confirm it went out: https://noghost.test/invitations/{invitation.pk}/") in out
    assert "fully booked until 11 December 2026" in out

    run(invitation.pk, "--decline", "--busy-for", "3 weeks")  # given after all: recorded, the draft dropped
    invitation = type(invitation).objects.get(pk=invitation.pk)
    assert invitation.status == Status.DECLINED and not hasattr(invitation, "unsent")
