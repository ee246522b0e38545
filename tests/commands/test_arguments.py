"""Arguments as a shell hands them over: bytes that are not UTF-8, or a path nobody can write to,
end in one line naming what to fix, never a traceback (each command a real subprocess)."""

import pytest

from tests.support.commands import manage, subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)  # the subprocess reads the test's committed rows
NOT_UTF8 = b"Caf\xe9 \xff"  # Latin-1 bytes from an old terminal


@pytest.fixture
def database(alice, tmp_path):
    return subprocess_database_url(tmp_path)


def one_line_error(done, expected):
    err = done.stderr.decode(errors="replace")
    assert done.returncode == 1, err
    assert "Traceback" not in err, err
    assert err.strip().count("\n") == 0 and err.startswith(f"CommandError: {expected}"), err


@pytest.mark.parametrize("option", [b"--client", b"--title", b"--notes", b"--user", b"--referred-by"])
def test_log_invitation_names_the_option_with_bytes_that_are_not_utf8(database, option):
    args = {b"--user": b"alice", b"--client": b"Acme", option: NOT_UTF8}
    done = manage("log_invitation", *[part for pair in args.items() for part in pair], database_url=database)
    one_line_error(done, f"{option.decode()}: This is not valid text: it holds bytes that are not UTF-8.")


def test_createfreelancer_names_the_username_that_is_not_utf8(database):
    done = manage("createfreelancer", NOT_UTF8, "--email", "carol@example.com", "--password-from-env", "NEW_PASSWORD",
                  database_url=database, env={b"NEW_PASSWORD": b"a-long-password-1"})
    one_line_error(done, "USERNAME: This is not valid text")


def test_createfreelancer_refuses_a_password_that_is_not_utf8(database):
    done = manage("createfreelancer", "carol", "--email", "carol@example.com", "--password-from-env", "NEW_PASSWORD",
                  database_url=database, env={b"NEW_PASSWORD": b"pass\xffword-long-1"})
    one_line_error(done, "password: This is not valid text")


def test_backup_paths_are_file_names_not_text(database, tmp_path):
    """One nobody can write to (root included: /proc, a path through a file) is one line; one whose
    name is not UTF-8 is as good a file name as any."""
    for target in ["/proc/noghost.backup", "/etc/hostname/noghost.backup"]:
        one_line_error(manage("backup", target, database_url=database), f"Cannot write a backup to {target}: ")
    target = bytes(tmp_path) + b"/backup-\xff.noghost"
    done = manage("backup", target, database_url=database)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert (tmp_path / "backup-\udcff.noghost").exists()
