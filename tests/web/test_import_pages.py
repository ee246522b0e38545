"""/import/: upload, say which column is what (another tracker's CSV), preview, confirm; nothing before."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from invitations.intake.log import log_invitation
from invitations.models import Invitation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
TRACKER = b"Company,Role,Applied on,Notes\nAcme,Django API,2026-11-18,from a forum\nNordlight,Search,yesterday,\n"


def upload(client, data, name="tracker.csv"):
    return client.post(reverse("import_upload"), {"file": SimpleUploadedFile(name, data, "text/csv")})


def map_and_preview(client):
    """Upload TRACKER, check the guessed mapping, correct it: returns the preview page's text."""
    uploaded = upload(client, TRACKER)
    assert uploaded.status_code == 302 and uploaded["Location"] == reverse("import_columns")
    form = client.get(reverse("import_columns")).context["form"]
    assert (form["client"].value(), form["title"].value()) == ("Company", "Role")  # guessed
    mapped = client.post(reverse("import_columns"), {
        "client": "Company", "title": "Role", "received": "Applied on", "notes": "Notes"})
    assert mapped.status_code == 302 and mapped["Location"] == reverse("import_preview")
    return client.get(reverse("import_preview")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_another_trackers_csv_goes_through_the_mapping_then_the_preview_then_in(alice_client, alice, unchanged):
    with unchanged():
        text = map_and_preview(alice_client)
    assert "1</strong> new invitation" in text and "1</strong> row with problems" in text
    assert "<td data-label=\"Line\">3</td><td data-label=\"Column\">Applied on</td>" in text
    assert "&#x27;yesterday&#x27; is not an ISO 8601 date-time" in text

    done = alice_client.post(reverse("import_preview"))

    assert done.status_code == 302 and done["Location"] == reverse("invitation_list")
    (invitation,) = Invitation.objects.filter(owner=alice)
    assert (invitation.client.name, invitation.title, invitation.notes) == ("Acme", "Django API", "from a forum")
    assert alice_client.get(reverse("import_preview")).status_code == 302  # the file is gone from the session


@time_machine.travel(NOW, tick=False)
def test_noghosts_own_export_needs_no_mapping_and_is_recognised_the_second_time(alice_client, alice, bob):
    log_invitation(bob, now=NOW, client="Acme", title="Exported", received_at=NOW - dt.timedelta(hours=2))
    alice_client.force_login(bob)
    exported = b"".join(alice_client.get(reverse("invitation_export")).streaming_content)
    alice_client.force_login(alice)

    assert upload(alice_client, exported)["Location"] == reverse("import_preview")
    alice_client.post(reverse("import_preview"))
    assert Invitation.objects.filter(owner=alice, title="Exported").count() == 1

    upload(alice_client, exported)
    again = alice_client.get(reverse("import_preview")).content.decode()
    assert "1</strong> here already" in again and "0</strong> new invitations" in again


def test_a_mapping_without_the_client_is_refused_on_its_field(alice_client):
    upload(alice_client, TRACKER)
    response = alice_client.post(reverse("import_columns"), {"title": "Role"})
    assert response.status_code == 400 and "client" in response.context["form"].errors


@pytest.mark.parametrize("data, message", [(b"", "file is empty"), (b"\x00\x00", "not a text file")])
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(alice_client, data, message):
    response = upload(alice_client, data)
    assert response.status_code == 400 and message in response.content.decode()


def test_the_steps_without_a_file_go_back_to_the_upload(alice_client):
    for name in ("import_columns", "import_preview"):
        response = alice_client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("import_upload")


def test_a_file_too_long_for_one_request_points_to_the_command(alice_client, monkeypatch):
    monkeypatch.setattr("invitations.views.imports.WEB_LINES", 0)
    upload(alice_client, TRACKER)
    alice_client.post(reverse("import_columns"), {"client": "Company", "title": "Role"})
    text = alice_client.get(reverse("import_preview")).content.decode()
    assert "manage.py import_invitations --user alice FILE" in text
