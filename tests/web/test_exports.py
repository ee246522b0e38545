"""CSV exports: my invitations and my figures, filtered like the dashboard, safe in a spreadsheet."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from invitations.intake.log import log_invitation
from invitations.models import Invitation, Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@time_machine.travel(NOW, tick=False)
def test_export_invitations_is_mine_filtered_and_neutralised(client, alice, bob):
    log_invitation(alice, now=NOW, client="=cmd|' /C calc'!A0", title="Django, \"quoted\"", platform="upwork",
                   received_at=NOW - dt.timedelta(days=3))
    log_invitation(alice, now=NOW, client="Fiverr person", platform="fiverr", received_at=NOW - dt.timedelta(days=3))
    log_invitation(alice, now=NOW, client="Old", platform="upwork", received_at=NOW - dt.timedelta(days=120))
    log_invitation(bob, now=NOW, client="Bob's client", platform="upwork", received_at=NOW - dt.timedelta(days=3))
    client.force_login(alice)

    rows = read_csv(client.get(reverse("export_invitations"), {"platform": "upwork"}))

    assert rows[0][:3] == ["received", "reply by", "client"]
    assert len(rows) == 2
    assert rows[1][:7] == [
        "2026-11-17 10:00 CET", "2026-11-18 10:00 CET", "'=cmd|' /C calc'!A0", "", 'Django, "quoted"', "Upwork", "Open",
    ]
    assert len(read_csv(client.get(reverse("export_invitations"), {"period": 365}))) == 4


@time_machine.travel(NOW, tick=False)
def test_export_analytics_has_the_dashboards_figures(client, alice):
    inv = log_invitation(alice, now=NOW, client="Acme", received_at=NOW - dt.timedelta(days=3))
    Invitation.objects.filter(pk=inv.pk).update(
        status=Status.DECLINED, responded_at=inv.received_at + dt.timedelta(hours=2), decline_reason="busy"
    )
    client.force_login(alice)

    rows = read_csv(client.get(reverse("export_analytics")))

    assert rows[0] == ["figure", "label", "value"]
    assert ["status", "Declined", "1"] in rows
    assert ["answered within the window", "period", "1.0000"] in rows
    assert ["median time to answer (hours)", "period", "2.00"] in rows
    assert ["decline reason", "Busy: fully booked for now", "1"] in rows


def test_exports_need_a_login(client):
    for name in ["export_invitations", "export_analytics"]:
        assert client.get(reverse(name)).status_code == 302


# Each smuggles a formula behind a separator some spreadsheet splits on (";" in many European locales).
SMUGGLED = ["x;=cmd|' /C calc'!A0", "x,=HYPERLINK(\"http://evil\")", "x\t+1+1", "x; -2+3", "x;\t@SUM(A1)", "x\n=1+1"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_no_piece_of_the_export_starts_a_formula_whatever_it_is_split_on(client, alice, separator):
    for i, text in enumerate(SMUGGLED):
        log_invitation(alice, now=NOW, client=f"Client {i}", title=text, notes=text,
                       received_at=NOW - dt.timedelta(days=1))
    client.force_login(alice)
    body = b"".join(client.get(reverse("export_invitations")).streaming_content).decode("utf-8-sig")

    pieces = [piece for line in body.splitlines() for piece in line.split(separator)]
    # What a spreadsheet that splits there (and trims spaces and quotes) would put in each cell.
    formulas = [piece for piece in pieces if piece.strip(" \t\r\n\"")[:1] in ("=", "+", "-", "@")]
    assert not formulas, f"split on {separator!r}, these cells start a formula: {formulas}"
