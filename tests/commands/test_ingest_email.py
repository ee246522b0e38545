"""`manage.py ingest_email`: one message from a file or standard input, one line out, exit 0 whatever it said."""

import datetime as dt
import io
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from invitations.models import InboundMessage, Invitation

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parents[1] / "intake" / "corpus"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def run(*args, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    out = io.StringIO()
    call_command("ingest_email", *args, stdout=out)
    return out.getvalue().strip()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("name, line", [
    ("upwork-invite-multipart.eml", 'logged invitation {pk}: "Django REST API for a logistics dashboard" from Jonas Becker '
                                    "(upwork), reply by 2026-11-24 23:59 CET"),
    ("upwork-job-alert.eml", "not an invitation: job alert"),
    ("direct-interview.eml", "needs review: Someone writing directly, not through a platform: check it before logging. "
                             "(message {message}, in /inbox/)"),
])
def test_a_file_prints_what_was_done(alice, name, line):
    out = run("--user", "alice", str(CORPUS / name))

    message = InboundMessage.objects.get()
    assert out == line.format(pk=message.invitation_id, message=message.pk)
    assert message.via == "pipe"


@time_machine.travel(NOW, tick=False)
def test_standard_input_and_a_duplicate(alice, monkeypatch):
    invite = (CORPUS / "upwork-invite-multipart.eml").read_bytes()
    first = run("--user", "alice", stdin=invite, monkeypatch=monkeypatch)
    again = run("--user", "alice", "-", stdin=invite, monkeypatch=monkeypatch)
    reminder = run("--user", "alice", str(CORPUS / "upwork-reminder.eml"))

    invitation = Invitation.objects.get()
    assert first.startswith(f"logged invitation {invitation.pk}:")
    assert again == f"already received as message {invitation.inbound_messages.earliest('pk').pk}: {first}"
    assert reminder == (f'duplicate of invitation {invitation.pk}: "Django REST API for a logistics dashboard" from '
                        "Jonas Becker (upwork) (added to its notes)")


def test_usage_errors_are_the_only_failures(alice, tmp_path, monkeypatch):
    with pytest.raises(CommandError, match="--user: no user named 'nobody'"):
        run("--user", "nobody", str(CORPUS / "upwork-receipt.eml"))
    with pytest.raises(CommandError, match="FILE: cannot read .*missing.eml: No such file or directory"):
        run("--user", "alice", str(tmp_path / "missing.eml"))
    with pytest.raises(CommandError, match="FILE: the message is empty"):
        run("--user", "alice", stdin=b"", monkeypatch=monkeypatch)
    assert not InboundMessage.objects.exists()
