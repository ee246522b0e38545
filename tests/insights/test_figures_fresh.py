"""The cached dashboard figures are never stale (docs/design.md, rule 17).

After every kind of write that can change a figure, and after time alone has moved a figure
(a reply deadline passing, a local midnight), the cached figures equal an uncached computation.
The stamp is replaced by database triggers, so writes that bypass the models (a queryset
update, a raw delete, the bulk writes of an import) are covered as the forms are.
"""

import datetime as dt
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from invitations.answers.respond import respond
from invitations.answers.withdrawals import withdraw
from invitations.followups.lifecycle import close_followups
from invitations.insights import figures, metrics
from invitations.insights.metrics import PERIODS, Filters
from invitations.intake.capture import capture
from invitations.intake.log import log_invitation
from invitations.models import FollowUpKind, Invitation, Status

UTC = dt.timezone.utc
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
EML = (Path(__file__).parents[1] / "intake" / "corpus" / "upwork-invite-multipart.eml").read_bytes()
FILTERS = [Filters(days=days) for days in PERIODS] + [Filters(platform="upwork")]


def logged(owner, title, *, days_ago=3, hours=24, platform="direct"):
    received = NOW - dt.timedelta(days=days_ago)
    return log_invitation(owner, now=received, client=f"Client {title}", title=title, platform=platform,
                          received_at=received, reply_by=received + dt.timedelta(hours=hours))


@pytest.fixture
def world(alice, bob):
    made = {"open": logged(alice, "Open one", days_ago=0, hours=30), "late": logged(alice, "Late one")}
    declined = logged(alice, "Declined one", days_ago=10)
    respond(declined, now=NOW - dt.timedelta(days=9), action="decline", busy_until=(NOW - dt.timedelta(days=2)).date())  # reconnect due
    made["declined"] = declined
    logged(bob, "Bob's")  # another user's writes never touch alice's figures, nor the reverse
    return made


def fresh(owner, now):
    """Each filter's figures from the cache (warming it) and computed anew: they must agree."""
    return {f: (figures.learn(owner, now, f, BERLIN), metrics.learn(owner, now, f, BERLIN)) for f in FILTERS}


def assert_fresh(owner, now):
    for f, (cached, computed) in fresh(owner, now).items():
        assert cached == computed, f


def csv_import(owner, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Who,What,When\nAcme,API review,2026-11-18T08:00:00Z\n")
    call_command("import_invitations", "--user", owner.username, str(sheet), "--map", "client=Who",
                 "--map", "title=What", "--map", "received=When", stdout=StringIO())


WRITES = {
    "log": lambda alice, world, tmp: logged(alice, "New one", days_ago=1),
    "accept": lambda alice, world, tmp: respond(world["open"], now=NOW, action="accept"),
    "decline": lambda alice, world, tmp: respond(world["late"], now=NOW, action="decline", reason="rate"),
    "withdraw": lambda alice, world, tmp: withdraw(Invitation.objects.filter(pk=world["open"].pk), now=NOW),
    "reconnect done": lambda alice, world, tmp: close_followups(world["declined"], [FollowUpKind.RECONNECT], now=NOW),
    "capture": lambda alice, world, tmp: capture(EML, owner=alice, now=NOW, via="pipe"),
    "import": lambda alice, world, tmp: csv_import(alice, tmp),
    "queryset update": lambda alice, world, tmp: Invitation.objects.filter(pk=world["late"].pk).update(
        status=Status.ACCEPTED, responded_at=NOW),
    "platform change": lambda alice, world, tmp: Invitation.objects.filter(pk=world["late"].pk).update(platform="upwork"),
    "delete": lambda alice, world, tmp: Invitation.objects.filter(pk=world["late"].pk).delete(),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", WRITES)
def test_every_kind_of_write_leaves_no_stale_figure(alice, world, tmp_path, write):
    before = fresh(alice, NOW)
    with time_machine.travel(NOW, tick=False):
        WRITES[write](alice, world, tmp_path)

    after = fresh(alice, NOW)
    for f, (cached, computed) in after.items():
        assert cached == computed, f
    assert any(after[f][1] != before[f][1] for f in FILTERS), "the write should have changed some figure"


@pytest.mark.django_db(transaction=True)
def test_another_users_writes_leave_the_cached_figures_as_they_are(alice, bob, world):
    assert_fresh(alice, NOW)
    logged(bob, "Bob's second")
    assert_fresh(alice, NOW)


@pytest.mark.django_db(transaction=True)
def test_a_deadline_passing_and_a_local_midnight_are_seen_without_any_write(alice, world):
    before = fresh(alice, NOW)
    past_deadline = world["open"].reply_by + dt.timedelta(minutes=1)
    after = fresh(alice, past_deadline)
    assert after[Filters()][1] != before[Filters()][1]  # the open one is now unanswered
    for f, (cached, computed) in after.items():
        assert cached == computed, f
    local_midnight = dt.datetime(2026, 11, 23, 0, 0, tzinfo=BERLIN)  # a Monday: a new week begins
    for moment in (local_midnight - dt.timedelta(seconds=1), local_midnight, local_midnight + dt.timedelta(hours=1)):
        assert_fresh(alice, moment)
