"""`backup` and `restore` for real, on the database the suite runs on (SQLite, or PostgreSQL in the
second pass): any text and every microsecond come back, a failed backup keeps the last good one, and
a restore refuses what is not a noghost backup of this schema before it replaces anything."""

import datetime as dt
import json
import resource
import signal
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from invitations.intake.log import log_invitation
from invitations.models import FollowUp, Invitation
from tests.support.snapshots import every_row

# backup() opens its own REPEATABLE READ transaction on PostgreSQL: not inside the test's.
pytestmark = pytest.mark.django_db(transaction=True)
PRECISE = dt.datetime(2026, 11, 20, 8, 15, 42, 123456, tzinfo=dt.timezone.utc)  # a millisecond cut loses 456


@pytest.fixture
def awkward_rows(client, alice):
    """Rows no XML 1.0 document can hold, made the way they arrive: a failed login with a vertical tab
    in the username and an escape in the User-Agent (django-axes keeps both), and notes with a form
    feed and a vertical tab written before the forms refused them; times to the microsecond."""
    client.post(reverse("login"), {"username": "ad\x0bmin", "password": "wrong"}, HTTP_USER_AGENT="curl\x1b[0m/8")
    invitation = log_invitation(alice, now=PRECISE, client="Acme", title="Job", received_at=PRECISE)
    Invitation.objects.filter(pk=invitation.pk).update(notes="page one\x0cpage two")
    FollowUp.objects.filter(invitation=invitation).update(note="ad\x0bmin \x1b[31m")
    return invitation


def test_a_backup_carries_control_characters_and_microseconds_row_for_row(awkward_rows, tmp_path):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.user_agent) == ("ad\x0bmin", "curl\x1b[0m/8")
    before = every_row()
    path = tmp_path / "noghost.backup"

    call_command("backup", str(path))
    Invitation.objects.update(title="changed after the backup", notes="")
    AccessAttempt.objects.all().delete()
    call_command("restore", str(path), "--no-input")

    assert every_row() == before
    assert Invitation.objects.get().received_at == PRECISE  # every microsecond
    assert Invitation.objects.get().notes == "page one\x0cpage two"


def test_the_postgresql_backup_is_json_lines_with_a_header_and_a_count(awkward_rows, tmp_path, on_postgres):
    if not on_postgres:
        pytest.skip("SQLite's backup is an SQLite file")
    path = tmp_path / "noghost.backup"
    call_command("backup", str(path))

    lines = path.read_text().splitlines()
    header, end = json.loads(lines[0]), json.loads(lines[-1])
    assert header["noghost_backup"] == 1 and header["vendor"] == "postgresql"
    assert ["invitations", "0001_initial"] in header["migrations"]
    assert end == {"noghost_backup_rows": len(lines) - 2}
    assert all(ord(char) < 128 for char in path.read_text())  # ASCII: control characters escaped


# --- a failed backup keeps the last good one ---------------------------------------------------

@pytest.fixture
def file_size_limit():
    """limit(n): writes past n bytes by this process fail with EFBIG (a full disk, for real); undone after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error from write(), not a killed process

    def limit(size):
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))

    yield limit
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    signal.signal(signal.SIGXFSZ, previous)


def test_a_backup_that_fails_half_way_leaves_the_last_good_one(alice, tmp_path, file_size_limit):
    for i in range(30):
        log_invitation(alice, now=PRECISE, client=f"Client {i}", title="x" * 150, notes="n" * 2000,
                       received_at=PRECISE)
    path = tmp_path / "noghost.backup"
    call_command("backup", str(path))
    good = path.read_bytes()
    log_invitation(alice, now=PRECISE, client="After the good backup", received_at=PRECISE)

    file_size_limit(len(good) // 2)
    with pytest.raises(CommandError) as refused:
        call_command("backup", str(path))
    file_size_limit(resource.RLIM_INFINITY)

    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["noghost.backup"]  # no partial file left behind
    assert "\n" not in str(refused.value)


def test_a_backup_to_a_folder_that_does_not_exist_is_one_line(tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot write a backup to .*: No such file or directory\.$"):
        call_command("backup", str(tmp_path / "missing" / "noghost.backup"))


# --- a restore checks before it replaces anything ------------------------------------------------

@pytest.fixture
def good_backup(alice, tmp_path):
    log_invitation(alice, now=PRECISE, client="Acme", title="Kept", received_at=PRECISE)
    path = tmp_path / "good.backup"
    call_command("backup", str(path))
    return path


def another_programs_database(path):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        db.execute("INSERT INTO notes (body) VALUES ('not noghost')")
    return path


def rewrite(good, path, change):
    path.write_bytes(change(good.read_bytes()))
    return path


def other_schema(good, path):
    """The good backup claiming a migration this database does not have."""
    if good.read_bytes().startswith(b"SQLite"):
        path.write_bytes(good.read_bytes())
        with sqlite3.connect(path) as db:
            db.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('invitations', '9999_future', '2030-01-01')")
        return path
    lines = good.read_text().splitlines()
    header = json.loads(lines[0])
    header["migrations"].append(["invitations", "9999_future"])
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    return path


def a_row_that_does_not_fit(good, path):
    """A whole dump of this schema whose one row refers to a user nobody has: found only as it loads."""
    from invitations.maintenance.snapshot_format import applied_migrations

    header = {"noghost_backup": 1, "vendor": "postgresql", "migrations": applied_migrations()}
    row = {"model": "invitations.client", "pk": 1, "fields": {"owner": ["nobody"], "name": "Orphan"}}
    path.write_text("\n".join(json.dumps(line) for line in [header, row, {"noghost_backup_rows": 1}]) + "\n")
    return path


BAD_FILES = {
    "a row that does not fit": a_row_that_does_not_fit,
    "another program's SQLite database": lambda good, path: another_programs_database(path),
    "truncated": lambda good, path: rewrite(good, path, lambda data: data[: len(data) // 2]),
    "cut at the end": lambda good, path: rewrite(good, path, lambda data: data[:-100]),
    "corrupt in the middle": lambda good, path: rewrite(
        good, path, lambda data: data[:4096] + bytes(255 - b for b in data[4096:12288]) + data[12288:]),
    "random bytes": lambda good, path: rewrite(good, path, lambda data: bytes((i * 7919) % 256 for i in range(9000))),
    "empty": lambda good, path: rewrite(good, path, lambda data: b""),
    "another schema": other_schema,
    "missing": lambda good, path: path,
    "a folder": lambda good, path: path.mkdir() or path,
}


@pytest.mark.parametrize("bad", BAD_FILES)
def test_a_restore_refuses_what_it_cannot_trust_in_one_line_and_changes_nothing(good_backup, tmp_path, bad):
    path = BAD_FILES[bad](good_backup, tmp_path / "bad.backup")
    Invitation.objects.update(title="the current database")
    before = every_row()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), "--no-input")

    message = str(refused.value)
    assert "\n" not in message and str(path) in message, message
    assert every_row() == before
    assert connection.vendor != "sqlite" or "Traceback" not in message


def test_a_restore_names_why_it_refused(good_backup, tmp_path, on_postgres):
    reasons = {
        "another program's SQLite database": "SQLite backup; this database is postgresql" if on_postgres
        else "is not a noghost database: it has no django_migrations table",
        "another schema": r"was written at another schema \(it has migration invitations.9999_future",
        "random bytes": "is not a noghost backup",
        "cut at the end": "is (cut short|damaged)",
    }
    for bad, reason in reasons.items():
        path = BAD_FILES[bad](good_backup, tmp_path / f"{bad.split()[0]}.backup")
        with pytest.raises(CommandError, match=reason):
            call_command("restore", str(path), "--no-input")
