"""metrics: the figures behind "What I can learn", on a small world whose answers we know."""

import datetime as dt
import zoneinfo

import pytest

from invitations.followups.lifecycle import mark_done, open_followup
from invitations.insights import metrics
from invitations.insights.metrics import Filters
from invitations.intake.log import log_invitation
from invitations.models import FollowUpKind, Invitation, Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)  # a Friday
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
H = dt.timedelta(hours=1)


def invite(owner, *, received, status=Status.OPEN, answered_after=None, client="Acme", platform="upwork", reason=""):
    inv = log_invitation(owner, now=NOW, client=client, platform=platform, received_at=received)
    if status != Status.OPEN:
        Invitation.objects.filter(pk=inv.pk).update(
            status=status, decline_reason=reason,
            responded_at=received + answered_after if answered_after is not None else None,
        )
    return inv


def test_reply_rate_counts_like_the_marketplace(alice, bob):
    monday = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.timezone.utc)
    invite(alice, received=monday, status=Status.DECLINED, answered_after=2 * H)  # in time
    invite(alice, received=monday, status=Status.ACCEPTED, answered_after=30 * H)  # late
    invite(alice, received=monday)  # ignored: reply_by passed, still open
    invite(alice, received=monday, status=Status.WITHDRAWN, answered_after=5 * H)  # withdrawn in the window: not counted
    invite(alice, received=monday, status=Status.WITHDRAWN, answered_after=40 * H)  # withdrawn after being ignored
    invite(alice, received=NOW - H)  # still inside its window: not decided yet
    invite(bob, received=monday, status=Status.DECLINED, answered_after=H)  # someone else's

    weeks = metrics.facts(alice, NOW, Filters(days=30), BERLIN).weeks

    assert [week["week"] for week in weeks] == [dt.date(2026, 10, 19) + dt.timedelta(weeks=i) for i in range(5)]
    assert weeks[-1] == {"week": dt.date(2026, 11, 16), "received": 6, "counted": 4, "in_time": 1, "rate": 0.25}
    assert weeks[0] == {"week": dt.date(2026, 10, 19), "received": 0, "counted": 0, "in_time": 0, "rate": None}
    assert metrics.reply_rate_overall(weeks) == (1, 4, 0.25)


def test_weeks_are_iso_weeks_in_the_users_zone(alice):
    # Sunday 23:30 UTC is already Monday 00:30 in Berlin: it belongs to the next week there.
    invite(alice, received=dt.datetime(2026, 11, 15, 23, 30, tzinfo=dt.timezone.utc),
           status=Status.DECLINED, answered_after=H)

    weeks = metrics.facts(alice, NOW, Filters(days=30), BERLIN).weeks

    assert [week["week"] for week in weeks if week["received"]] == [dt.date(2026, 11, 16)]


def test_every_week_of_a_year_gets_its_own_invitations_at_its_edges(alice):
    """The halving search over 53 week bounds puts a row a second before a local Monday midnight
    in the week before and one at it in the week it starts, across both DST changes."""
    weeks = metrics.week_starts(NOW, Filters(days=365), BERLIN)
    for monday in weeks[1:]:
        midnight = dt.datetime.combine(monday, dt.time(), tzinfo=BERLIN).astimezone(dt.timezone.utc)
        invite(alice, received=midnight - dt.timedelta(seconds=1))
        invite(alice, received=midnight)

    counted = metrics.facts(alice, NOW, Filters(days=365), BERLIN).weeks

    assert [week["received"] for week in counted] == [1] + [2] * (len(weeks) - 2) + [1]


@pytest.mark.parametrize("hours, median", [([1, 3, 8], 3 * H), ([1, 3], 2 * H), ([5], 5 * H)])
def test_median_time_to_answer(alice, hours, median):
    for n in hours:
        invite(alice, received=NOW - 50 * H, status=Status.DECLINED, answered_after=n * H)
    invite(alice, received=NOW - 50 * H, status=Status.WITHDRAWN, answered_after=H)  # not an answer

    assert metrics.learn(alice, NOW, Filters(), BERLIN)["median_answer"] == median


def test_median_is_none_without_answers(alice):
    invite(alice, received=NOW - H)
    assert metrics.learn(alice, NOW, Filters(), BERLIN)["median_answer"] is None


def test_pipeline_platforms_and_the_platform_filter(alice, bob):
    invite(alice, received=NOW - 2 * H)
    invite(alice, received=NOW - 3 * H, platform="fiverr", status=Status.ACCEPTED, answered_after=H)
    invite(alice, received=NOW - dt.timedelta(days=100))  # outside 90 days
    invite(bob, received=NOW - 2 * H)

    def counted(**filters):
        return metrics.facts(alice, NOW, Filters(**filters), BERLIN)

    assert counted().pipeline == [
        ("open", "Open", 1), ("accepted", "Accepted", 1), ("declined", "Declined", 0), ("withdrawn", "Withdrawn", 0),
    ]
    assert counted().platforms == [("fiverr", "Fiverr", 1), ("upwork", "Upwork", 1)]
    assert counted(days=365).platforms == [("upwork", "Upwork", 2), ("fiverr", "Fiverr", 1)]
    assert [row[2] for row in counted(platform="fiverr").pipeline] == [0, 1, 0, 0]


def test_months_include_empty_ones(alice):
    invite(alice, received=dt.datetime(2026, 9, 10, tzinfo=dt.timezone.utc))
    invite(alice, received=dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    invite(alice, received=dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.timezone.utc))  # 1 Nov, 00:30 in Berlin

    months = metrics.facts(alice, NOW, Filters(days=90), BERLIN).months

    assert months == [(dt.date(2026, 8, 1), 0), (dt.date(2026, 9, 1), 1), (dt.date(2026, 10, 1), 0),
                      (dt.date(2026, 11, 1), 2)]


def test_decline_reasons_most_frequent_first(alice):
    for reason in ["rate", "busy", "busy", ""]:
        invite(alice, received=NOW - 5 * H, status=Status.DECLINED, answered_after=H, reason=reason)

    assert metrics.facts(alice, NOW, Filters(), BERLIN).reasons == [
        ("busy", "Busy: fully booked for now", 2), ("", "No reason given", 1), ("rate", "Rate or budget too low", 1),
    ]


def test_reconnects_made_versus_due(alice):
    inv = invite(alice, received=NOW - dt.timedelta(days=40), status=Status.DECLINED, answered_after=H)
    other = invite(alice, received=NOW - dt.timedelta(days=40), client="Globex", status=Status.DECLINED,
                   answered_after=H)
    made, _ = open_followup(alice, FollowUpKind.RECONNECT, now=NOW, due_at=NOW - dt.timedelta(days=2), invitation=inv)
    mark_done(made, now=NOW - dt.timedelta(days=1))
    open_followup(alice, FollowUpKind.RECONNECT, now=NOW, due_at=NOW - H, invitation=other)  # due, not made
    open_followup(alice, FollowUpKind.RECONNECT, now=NOW, due_at=NOW + H, client=inv.client)  # not due yet

    assert metrics.reconnects(alice, NOW, Filters()) == {"due": 2, "made": 1}


def test_declined_clients_who_came_back(alice, bob):
    invite(alice, received=NOW - dt.timedelta(days=20), client="Acme", status=Status.DECLINED, answered_after=H)
    invite(alice, received=NOW - dt.timedelta(days=20), client="Acme", status=Status.DECLINED, answered_after=H)
    invite(alice, received=NOW - dt.timedelta(days=3), client="Acme")  # came back
    invite(alice, received=NOW - dt.timedelta(days=20), client="Globex", status=Status.DECLINED, answered_after=H)
    invite(alice, received=NOW - dt.timedelta(days=30), client="Globex")  # before the decline: not a return
    invite(bob, received=NOW - dt.timedelta(days=3), client="Acme")  # bob's Acme is another client

    assert metrics.came_back(alice, NOW, Filters()) == {"declined": 2, "returned": 1}


def test_learn_runs_a_fixed_number_of_queries(alice, django_assert_num_queries):
    for days in range(12):
        invite(alice, received=NOW - dt.timedelta(days=days * 7), status=Status.DECLINED, answered_after=H,
               reason="busy")

    with django_assert_num_queries(4):
        learned = metrics.learn(alice, NOW, Filters(), BERLIN)

    assert learned["reply_rate"] == (12, 12, 1.0)
