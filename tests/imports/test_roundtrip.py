"""Export, then import into an empty account: every invitation and client comes back as it was."""

import csv
import datetime as dt
import io

import pytest

from invitations.answers.respond import respond
from invitations.imports.apply import import_rows
from invitations.imports.columns import guess_mapping, is_noghost_export, read
from invitations.insights.exports import csv_lines, invitation_rows
from invitations.intake.log import log_invitation
from invitations.models import Client, Invitation

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)

# What an invitation is, whoever owns it: compared between the two accounts.
INVITATION_FIELDS = (
    "client__name", "client__company", "client__email", "client__phone", "title", "platform", "url", "notes",
    "received_at", "reply_by", "status", "responded_at", "response_channel", "decline_reason", "busy_until",
    "response_message", "referred_by__name", "interview_at",
)


def history(alice, now):
    """A varied history: open, accepted with an interview, declined busy with a referrer, withdrawn,
    a formula-looking note, accents, a DST-change morning, quotes and line breaks."""
    open_one = log_invitation(alice, now=now, client="Zoë Müller", company="Crème GmbH", email="zoe@creme.example",
                              phone="+49 30 1234567", title="Django API", platform="upwork",
                              received_at=now - 2 * H, notes="=SUM(A1)\nsecond line, \"quoted\"")
    accepted = log_invitation(alice, now=now, client="Acme", title="Billing", platform="direct",
                              received_at=now - 10 * D, url="https://acme.example/job/1")
    respond(accepted, now=now - 9 * D, action="accept", channel="email", interview_at=now + 3 * D)
    declined = log_invitation(alice, now=now, client="Nordlight", title="Search", platform="linkedin",
                              received_at=now - 20 * D, referred_by="Maya Referrer")
    respond(declined, now=now - 19 * D, action="decline", reason="busy", busy_until=(now + 20 * D).date(),
            channel="platform", message="Thank you. I am booked; could we reconnect after that?")
    withdrawn = log_invitation(alice, now=now, client="acme", title="Shop", platform="fiverr",
                               received_at=dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.timezone.utc))  # 02:30 CEST/CET
    respond(withdrawn, now=now - 3 * D, action="withdrawn")
    return open_one


def exported(owner):
    rows = invitation_rows(Invitation.objects.filter(owner=owner), owner.profile.zone)
    return "".join(csv_lines(rows))


def invitations_of(owner):
    return sorted(Invitation.objects.filter(owner=owner).values_list(*INVITATION_FIELDS), key=repr)


def clients_of(owner):
    return sorted(Client.objects.filter(owner=owner).values_list("name", "company", "email", "phone"))


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])  # the file says its own zone
def test_export_then_import_into_an_empty_account_reproduces_every_invitation_and_client(alice, make_user, now, zone):
    history(alice, now)
    text = exported(alice)
    header, rows = read(text)
    assert is_noghost_export(header)
    carla = make_user("carla", timezone=zone)

    done = import_rows(carla, header, rows, guess_mapping(header), now=now)

    assert (done.invitations, done.answered, done.bad) == (4, 3, 0)
    assert invitations_of(carla) == invitations_of(alice)
    assert clients_of(carla) == clients_of(alice)
    # The rules held, as if typed in: the busy decline owes its reconnect, the referrer a word.
    kinds = sorted(Invitation.objects.get(owner=carla, title="Search").followups.filter(done_at=None)
                   .values_list("kind", flat=True))
    assert kinds == ["notify_referrer", "reconnect"]


def test_importing_the_same_export_again_matches_every_row_and_writes_nothing(alice, now, unchanged):
    history(alice, now)
    header, rows = read(exported(alice))

    with unchanged():
        done = import_rows(alice, header, rows, guess_mapping(header), now=now)

    assert (done.invitations, done.matched) == (0, 4)


def test_the_export_has_the_columns_an_import_needs(alice, now):
    invitation = history(alice, now)
    table = list(csv.DictReader(io.StringIO(exported(alice))))
    row = next(r for r in table if r["title"] == "Django API")

    # A phone number starts like a formula: guarded in the spreadsheet, restored by the import.
    assert (row["id"], row["client email"], row["client phone"]) == (str(invitation.pk), "zoe@creme.example",
                                                                      "'+49 30 1234567")
    assert row["notes"].startswith("'=SUM(A1)")  # still guarded in the spreadsheet
    accepted = next(r for r in table if r["title"] == "Billing")
    assert accepted["interview at"] == f"{(now + 3 * dt.timedelta(days=1)):%Y-%m-%d} 10:00 CET"
