"""The corpus: every e-mail under corpus/ captured for alice, checked against its row of expected.csv.

One table says what each message must come to (logged, review, not an invitation, duplicate,
withdrawn) and what it must yield; a row's `after` names the message captured first (the
invitation a reminder or a withdrawal is about). Adding a message is adding a file and a row.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest

from invitations.intake.capture import capture
from invitations.models import InboundMessage, Invitation, Status

CORPUS = Path(__file__).parent / "corpus"
ROWS = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
STATES = {"logged": "logged", "withdrawn": "logged", "review": "review", "not_invitation": "not_invitation",
          "duplicate": "duplicate"}
FIELDS = ["client", "company", "title", "url", "platform"]

pytestmark = pytest.mark.django_db


def moment(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def take(name, owner):
    return capture((CORPUS / name).read_bytes(), owner=owner, now=NOW, via="pipe")


def test_the_table_covers_every_file_and_enough_of_them():
    assert {row["file"] for row in ROWS} == {path.name for path in CORPUS.glob("*.eml")}
    assert len(ROWS) >= 40


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_each_message_comes_to_what_the_table_says(alice, row):
    before = take(row["after"], alice).invitation if row["after"] else None

    message = take(row["file"], alice)

    assert (message.state, message.recogniser) == (STATES[row["outcome"]], row["recogniser"]), message.reason
    assert bytes(message.raw) == (CORPUS / row["file"]).read_bytes()  # kept as it came
    if row["outcome"] == "not_invitation":
        assert message.reason == row["reason"]
        assert message.invitation is None and not Invitation.objects.filter(owner=alice).exists()
        return
    check_found(row, message)
    check_outcome(row, message, before, alice)


def check_found(row, message):
    """The fields reading found, as the inbox shows them and the quick-add form takes them."""
    assert {name: message.found.get(name, "") for name in FIELDS} == {name: row[name] for name in FIELDS}
    assert moment(message.found["received_at"]) == moment(row["received_at"])
    assert row["reason"] in message.reason
    assert row["notes_contains"] in message.found.get("notes", "")


def check_outcome(row, message, before, alice):
    """What was done: a new open invitation, the earlier one withdrawn or noted, or nothing."""
    if row["outcome"] == "logged":
        check_logged(row, message.invitation)
    elif row["outcome"] == "review":
        assert message.invitation is None and not Invitation.objects.filter(owner=alice).exists()
    elif row["outcome"] == "withdrawn":
        assert message.invitation == before
        before.refresh_from_db()
        assert before.status == Status.WITHDRAWN and before.followups.get().done_at == NOW
    else:
        assert message.invitation == before and Invitation.objects.filter(owner=alice).count() == 1
        before.refresh_from_db()
        assert before.status == Status.OPEN
        assert before.notes.endswith(f"by e-mail: {message.subject}")


def check_logged(row, invitation):
    assert invitation.status == Status.OPEN
    assert (invitation.client.name, invitation.client.company, invitation.title, invitation.url, invitation.platform) == (
        row["client"], row["company"], row["title"], row["url"], row["platform"])
    assert invitation.received_at == moment(row["received_at"])
    window = invitation.received_at + dt.timedelta(hours=24)
    assert invitation.reply_by == (window if row["reply_by"] == "window" else moment(row["reply_by"]))
    assert row["notes_contains"] in invitation.notes
    reply = invitation.followups.get()
    assert (reply.kind, reply.due_at, reply.done_at) == ("reply", invitation.reply_by, None)


def test_the_whole_corpus_at_once_logs_each_invitation_once(alice):
    """In table order, as one mailbox: every message stored, reminders and withdrawals find theirs."""
    for row in ROWS:
        take(row["file"], alice)
    for row in ROWS:  # everything arrives twice: nothing changes
        assert take(row["file"], alice).repeated

    states = {m.message_id: m.state for m in InboundMessage.objects.filter(owner=alice)}
    assert len(states) == len(ROWS)
    # fwd-attached-malt.eml forwards the very message malt-proposal-en.eml is: it is a reminder of it.
    logged = [row for row in ROWS if row["outcome"] == "logged"]
    assert Invitation.objects.filter(owner=alice).count() == len(logged) - 1
    assert Invitation.objects.filter(owner=alice, status=Status.WITHDRAWN).count() == 3
