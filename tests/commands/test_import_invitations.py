"""`manage.py import_invitations`: a dry run shows what would happen, a real run imports it once."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from invitations.models import Client, Invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
SHEET = "Who,What,When,Notes\nAcme,API review,2026-11-18 09:00,=1+1\nNordlight,,someday,\n"


def run(*args):
    out = StringIO()
    call_command("import_invitations", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "kept-by-hand.csv"
    path.write_text(SHEET)
    return str(path)


MAP = ["--map", "client=Who", "--map", "title=What", "--map", "received=When"]


@time_machine.travel(NOW, tick=False)
def test_a_dry_run_reports_every_bad_row_and_writes_nothing(alice, sheet, unchanged):
    with unchanged():
        out = run("--user", "alice", sheet, "--dry-run", *MAP)

    assert "New invitations: 1; new clients: 1; here already: 0; bad rows: 1." in out
    assert "line 3, column 'When': 'someday' is not an ISO 8601 date-time" in out
    assert "Dry run: nothing was written." in out


@time_machine.travel(NOW, tick=False)
def test_a_real_run_imports_once_and_a_second_run_finds_it_here(alice, sheet):
    out = run("--user", "alice", sheet, *MAP)

    assert "Imported 1 invitation(s), 0 with their answer, and 1 new client(s)." in out
    invitation = Invitation.objects.get(owner=alice)
    assert (invitation.client.name, invitation.title, invitation.notes) == ("Acme", "API review", "=1+1")
    assert invitation.received_at == dt.datetime(2026, 11, 18, 8, 0, tzinfo=dt.timezone.utc)
    assert "here already: 1" in run("--user", "alice", sheet, *MAP)
    assert Client.objects.filter(owner=alice).count() == 1


@pytest.mark.parametrize("args, message", [
    (["--user", "nobody"], "--user: no user named 'nobody'"),
    (["--user", "alice", "--map", "colour=Who"], "--map: 'colour=Who' is not FIELD=COLUMN"),
    (["--user", "alice", "--map", "client=Nope"], "--map client: The file has no column “Nope”."),
    (["--user", "alice"], "--map client: Choose the column that holds the client."),
])
def test_bad_options_are_refused_naming_the_option(alice, sheet, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args[:2], sheet, *args[2:])


def test_a_missing_file_is_refused(alice):
    with pytest.raises(CommandError, match="No such file"):
        run("--user", "alice", "/nonexistent/file.csv")
