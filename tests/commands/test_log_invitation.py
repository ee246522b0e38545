"""`manage.py log_invitation`: the command-line way in, its output and its refusals."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from invitations.models import FollowUpKind, Invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("log_invitation", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_prints_the_id_and_reply_by_in_the_users_zone(alice):
    out = run("--user", "alice", "--client", "Acme", "--title", "API", "--platform", "upwork")

    invitation = Invitation.objects.get()
    assert f"Logged invitation {invitation.pk} from Acme" in out
    assert "reply by 2026-11-21 10:00 CET (Europe/Berlin)" in out
    assert invitation.reply_by == NOW + dt.timedelta(hours=24)
    assert invitation.followups.get().kind == FollowUpKind.REPLY


@time_machine.travel(NOW, tick=False)
def test_a_time_without_offset_is_in_the_users_zone(alice):
    run("--user", "alice", "--client", "Acme", "--received", "2026-11-20T08:30", "--reply-by", "2026-11-20T17:00")

    invitation = Invitation.objects.get()
    assert invitation.received_at == dt.datetime(2026, 11, 20, 7, 30, tzinfo=dt.timezone.utc)
    assert invitation.reply_by == dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.timezone.utc)


@time_machine.travel(NOW, tick=False)
def test_an_explicit_offset_wins_over_the_users_zone(alice):
    run("--user", "alice", "--client", "Acme", "--received", "2026-11-20T03:30-05:00")

    assert Invitation.objects.get().received_at == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.timezone.utc)


@time_machine.travel(NOW, tick=False)
def test_referrer_company_email_and_url_are_recorded(alice):
    run(
        "--user", "alice", "--client", "Maya", "--company", "Nordlight", "--email", "maya@nordlight.test",
        "--referred-by", "Jonas", "--url", "https://upwork.test/job/1", "--notes", "Met at DjangoCon",
    )

    invitation = Invitation.objects.select_related("client", "referred_by").get()
    assert (invitation.client.company, invitation.client.email) == ("Nordlight", "maya@nordlight.test")
    assert invitation.referred_by.name == "Jonas"
    assert (invitation.url, invitation.notes) == ("https://upwork.test/job/1", "Met at DjangoCon")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "args, expected",
    [
        (["--user", "nobody", "--client", "Acme"], "--user: no user named 'nobody'"),
        (["--user", "alice", "--client", "Acme", "--received", "yesterday-ish"], "--received: 'yesterday-ish' is not an ISO 8601"),
        (["--user", "alice", "--client", "Acme", "--reply-by", "2026-13-45T10:00"], "--reply-by: '2026-13-45T10:00' is not"),
        (["--user", "alice", "--client", "Acme", "--received", "2026-11-20T08:00", "--reply-by", "2026-11-19T08:00"],
         "--reply-by: Reply-by is before the invitation was received."),
        (["--user", "alice", "--client", "Acme", "--platform", "myspace"], "--platform: 'myspace' is not a platform"),
        (["--user", "alice", "--client", "  "], "--client: Give a name"),
        (["--user", "alice", "--client", "Acme", "--title", "t" * 201], "--title: Ensure this value has at most 200"),
        (["--user", "alice", "--client", "Acme", "--received", "2027-01-01T00:00"], "--received: Received is in the future"),
        (["--user", "alice", "--client", "Acme", "--received", "9999-12-31T23:59-05:00"], "--received: '9999-12-31T23:59-05:00' is out of the range"),
    ],
)
def test_bad_input_names_the_option_exits_non_zero_and_writes_nothing(alice, unchanged, args, expected):
    with unchanged(), pytest.raises(CommandError) as raised:
        run(*args)

    assert expected in str(raised.value)


def test_command_line_exit_status_is_non_zero(alice, capsys):
    with pytest.raises(SystemExit) as exited:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "log_invitation", "--user", "nobody", "--client", "Acme"])

    assert exited.value.code != 0
    assert "--user: no user named 'nobody'" in capsys.readouterr().err
