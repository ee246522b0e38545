"""The preview: what would be created, what is here already, every bad row by line, column and reason."""

import datetime as dt

import pytest

from invitations.imports.apply import import_rows
from invitations.imports.columns import guess_mapping, read
from invitations.imports.plan import plan
from invitations.imports.writing import ImportRefused
from invitations.intake.log import log_invitation
from invitations.models import Client, Invitation

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)

TRACKER = """Company Name,Position,Date Applied,Stage,Comments,Contact Email
Acme,Django API,2026-11-10 09:00,Pending,Found on a forum,ops@acme.example
Nordlight,Search,2026-11-11,Rejected,,
acme,Billing,2026-11-12T10:00+01:00,,,
,No client,2026-11-12,,,
Zed,Time travel,2027-01-01,,,
Ynes,Bad mail,2026-11-12,,,not-an-address
Acme,Django API,2026-11-10 09:00,Pending,the same line again,
Quill,Answer twice,2026-11-12,Accepted,,
Quill,Withdrawn,2026-11-12,Maybe,,
"""


def preview(owner, text, now, mapping=None):
    header, rows = read(text)
    return plan(owner, header, rows, mapping or guess_mapping(header), now=now)


def test_a_trackers_csv_is_previewed_line_by_line(alice, now, unchanged):
    with unchanged():
        result = preview(alice, TRACKER, now)

    assert [(line.line, line.values["title"]) for line in result.create] == [
        (2, "Django API"), (3, "Search"), (4, "Billing"), (9, "Answer twice")]
    assert [(line.line, line.matched) for line in result.matched] == [(8, "the same invitation as an earlier line")]
    assert [(bad.line, bad.column) for bad in result.bad] == [
        (5, "Company Name"), (6, "Date Applied"), (7, "Contact Email"), (10, "Stage")]
    reasons = {bad.line: bad.reason for bad in result.bad}
    assert "Give a name" in reasons[5] and "in the future" in reasons[6] and "valid email" in reasons[7]
    assert "Maybe" in reasons[10]
    assert result.new_clients == ["Acme", "Nordlight", "Quill"] and result.bad_lines == 4


def test_an_invitation_here_already_is_matched_by_client_title_and_received_and_a_client_reused(alice, now):
    received = dt.datetime(2026, 11, 10, 8, 0, tzinfo=dt.timezone.utc)  # 09:00 in Berlin
    log_invitation(alice, now=now, client="ACME", title="Django API", received_at=received)

    result = preview(alice, TRACKER, now)

    assert (2, "same client, title and received time") in [(line.line, line.matched) for line in result.matched]
    assert result.known_clients == ["ACME"] and "Acme" not in result.new_clients


def test_an_id_matches_only_the_users_own_invitation(alice, bob, now):
    bobs = log_invitation(bob, now=now, client="Bob's", title="Secret", received_at=now - H)
    text = f"id,client,title\n{bobs.pk},Someone,Looks like Bob's\n"

    assert [line.matched for line in preview(alice, text, now).create] == [""]
    assert [line.matched for line in preview(bob, text, now).matched] == ["same id"]


def test_the_import_writes_the_good_lines_and_leaves_out_the_bad_and_the_known(alice, now):
    header, rows = read(TRACKER)

    done = import_rows(alice, header, rows, guess_mapping(header), now=now)

    assert (done.invitations, done.answered, done.new_clients, done.matched, done.bad) == (4, 2, 3, 1, 4)
    acme = Client.objects.get(owner=alice, name="Acme")
    assert acme.email == "ops@acme.example"
    assert sorted(acme.invitations.values_list("title", flat=True)) == ["Billing", "Django API"]
    search = Invitation.objects.get(owner=alice, title="Search")
    assert (search.status, search.responded_at, search.answers.count()) == ("declined", search.received_at, 1)
    assert search.followups.get(kind="reply").done_at is not None  # answered: nothing left to reply to


def test_a_line_refused_half_way_undoes_the_whole_import(alice, now, monkeypatch, unchanged):
    header, rows = read(TRACKER)
    real = Invitation.save

    def refuse_the_third(self, *args, **kwargs):
        if self.title == "Billing":
            from django.core.exceptions import ValidationError
            raise ValidationError({"title": ["Refused after the preview."]})
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Invitation, "save", refuse_the_third)
    with unchanged(), pytest.raises(ImportRefused, match="Line 4 was refused"):
        import_rows(alice, header, rows, guess_mapping(header), now=now)
