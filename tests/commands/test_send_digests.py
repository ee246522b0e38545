"""manage.py send_digests: the schedule's work by hand, with a dry run that changes nothing."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from invitations.models import Digest
from tests.support.digest_factory import overdue_invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)  # 10:00 in Berlin, 04:00 in New York


def send_digests(*args):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("send_digests", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_who_would_get_what_and_changes_nothing(alice, make_user, unchanged):
    make_user("carol", timezone="Europe/Berlin")
    overdue_invitation(alice, NOW)

    with unchanged():
        out = send_digests("--dry-run")

    assert "alice <alice@example.com> (Europe/Berlin, 2026-11-20): 1 invitation needs an answer today" in out
    assert "carol <carol@example.com> (Europe/Berlin, 2026-11-20): quiet day, nothing to send" in out
    assert "Dry run: 1 would get a digest, 1 quiet; nothing claimed or sent." in out
    assert mail.outbox == []


def test_sends_and_reports(alice, bob):
    overdue_invitation(alice, NOW)
    overdue_invitation(bob, NOW)  # not yet 08:00 in New York

    out = send_digests()

    assert "1 due: 1 sent, 0 failed, 0 quiet" in out
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "Nobody is due a digest now." in send_digests()


def test_user_restricts_the_run(alice, make_user):
    carol = make_user("carol", timezone="Europe/Berlin")
    overdue_invitation(alice, NOW)
    overdue_invitation(carol, NOW)

    send_digests("--user", "carol")

    assert list(Digest.objects.values_list("owner__username", flat=True)) == ["carol"]


def test_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="--user: no user named 'nobody'"):
        send_digests("--user", "nobody")


def test_a_dry_run_with_nobody_due_says_when_each_users_next_digest_is(alice, bob, make_user):
    """Issue 19, item 12: "Nobody is due" alone left the user guessing."""
    send_digests()  # alice's digest for today (10:00 in Berlin) is claimed: hers is tomorrow's
    carol = make_user("carol", timezone="Asia/Tokyo", digest_hour=20)  # 18:00 in Tokyo: hers is today, at 20:00
    make_user("dave", digest_enabled=False)
    carol.profile.save()

    out = send_digests("--dry-run")

    assert out.splitlines() == [
        "Nobody is due a digest now.",
        "alice: next digest 2026-11-21 08:00 CET (Europe/Berlin, at 08:00 each day).",
        "bob: next digest 2026-11-20 08:00 EST (America/New_York, at 08:00 each day).",
        "carol: next digest 2026-11-20 20:00 JST (Asia/Tokyo, at 20:00 each day).",
        "Dry run: 0 would get a digest, 0 quiet; nothing claimed or sent.",
    ]
