"""The review inbox, one e-mail's page, "Log it", "Not an invitation", retry, the upload, the address on /settings/."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from invitations.intake import acting
from invitations.intake.addresses import address_for, owner_id_for
from invitations.intake.capture import capture
from invitations.models import InboundMessage, Invitation

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parents[1] / "intake" / "corpus"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
State = InboundMessage.State


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def take(name, owner, now=NOW):
    return capture((CORPUS / name).read_bytes(), owner=owner, now=now, via="pipe")


@time_machine.travel(NOW, tick=False)
def test_the_inbox_lists_what_waits_newest_first_escaped_and_what_was_dealt_with(alice_client, alice):
    older = take("direct-interview.eml", alice, now=NOW - dt.timedelta(hours=2))
    newer = capture(b"From: Eve <eve@evil.example>\nSubject: <b>Quote</b> please\n\n"
                    b"<script>alert('x')</script> Could you send a quote?\n", owner=alice, now=NOW, via="upload")
    logged = take("upwork-invite-multipart.eml", alice)

    response = alice_client.get(reverse("inbox"))

    assert [m.pk for m in response.context["waiting"]] == [newer.pk, older.pk]
    assert [m.pk for m in response.context["handled"]] == [logged.pk]
    page = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;b&gt;Quote&lt;/b&gt; please" in page
    assert "Sophie Laurent" in page and "Atelier Nord" in page  # what was found
    assert f'href="/invitations/new/?message={older.pk}"' in page
    assert f'action="/inbox/{older.pk}/dismiss/"' in page


@time_machine.travel(NOW, tick=False)
def test_log_it_prefills_quick_add_and_logs_once(alice_client, alice):
    message = take("direct-interview.eml", alice)
    url = reverse("quick_add") + f"?message={message.pk}"

    form = alice_client.get(url).context["form"]
    assert {name: form[name].value() for name in ("client", "company", "email", "platform")} == {
        "client": "Sophie Laurent", "company": "Atelier Nord", "email": "sophie.laurent@atelier-nord.de",
        "platform": "direct"}
    assert form["title"].value() == "Freelance Django developer – interview next week?"

    data = {"client": "Sophie Laurent", "company": "Atelier Nord", "title": "Booking software (freelance)",
            "platform": "direct", "received_at": "2026-11-18T14:12"}
    assert alice_client.post(url, data).status_code == 302
    invitation = Invitation.objects.get()
    message.refresh_from_db()
    assert (message.state, message.invitation) == (State.LOGGED, invitation)

    again = alice_client.post(url, data)
    assert "This e-mail was dealt with meanwhile" in again.content.decode()
    assert Invitation.objects.count() == 1


def test_someone_elses_message_cannot_prefill_the_form(client, alice, bob):
    message = take("direct-interview.eml", alice)
    client.force_login(bob)
    assert client.get(reverse("quick_add") + f"?message={message.pk}").status_code == 404
    assert client.post(reverse("quick_add") + f"?message={message.pk}", {"client": "X"}).status_code == 404
    assert not Invitation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_not_an_invitation_files_it(alice_client, alice):
    message = take("direct-call-request.eml", alice)
    assert alice_client.post(reverse("inbound_message_dismiss", args=[message.pk])).status_code == 302
    message.refresh_from_db()
    assert message.state == State.NOT_INVITATION and message.reason.startswith("Filed by you")
    assert not alice_client.get(reverse("inbox")).context["waiting"]


@time_machine.travel(NOW, tick=False)
def test_a_failed_one_is_retried_from_its_page(alice_client, alice, monkeypatch):
    monkeypatch.setattr(acting, "recognise", lambda *a, **k: 1 / 0)
    message = take("upwork-invite-multipart.eml", alice)
    assert message.state == State.FAILED
    page = alice_client.get(reverse("inbound_message", args=[message.pk])).content.decode()
    assert "ZeroDivisionError" in page and f'action="/inbox/{message.pk}/retry/"' in page

    monkeypatch.undo()
    response = alice_client.post(reverse("inbound_message_retry", args=[message.pk]), follow=True)
    assert "Read it again: logged invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_the_raw_message_is_a_download_never_a_page(alice_client, alice):
    message = take("direct-quote-html.eml", alice)
    response = alice_client.get(reverse("inbound_message_raw", args=[message.pk]))
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="noghost-message-{message.pk}.eml"'
    assert response.content == (CORPUS / "direct-quote-html.eml").read_bytes()
    page = alice_client.get(reverse("inbound_message", args=[message.pk])).content.decode()
    assert "document.cookie" not in page and "javascript:" not in page


@time_machine.travel(NOW, tick=False)
def test_add_from_an_e_mail_by_file_or_by_pasting(alice_client, alice):
    upload = SimpleUploadedFile("invite.eml", (CORPUS / "fiverr-brief.eml").read_bytes(), "message/rfc822")
    response = alice_client.post(reverse("add_from_email"), {"file": upload}, follow=True)
    invitation = Invitation.objects.get()
    assert f"Logged invitation {invitation.pk}: &quot;Shopify store speed optimisation&quot;" in response.content.decode()

    pasted = (CORPUS / "upwork-job-alert.eml").read_text()
    response = alice_client.post(reverse("add_from_email"), {"source": pasted}, follow=True)
    assert "Not an invitation: job alert." in response.content.decode()
    assert set(InboundMessage.objects.values_list("via", flat=True)) == {"upload"}


def test_add_from_an_e_mail_refuses_nothing_two_things_and_too_much(alice_client, alice, settings, unchanged):
    settings.INBOUND_MAX_BYTES = 1000
    with unchanged():
        nothing = alice_client.post(reverse("add_from_email"), {})
        both = alice_client.post(reverse("add_from_email"), {
            "source": "Subject: x\n\nhi", "file": SimpleUploadedFile("a.eml", b"Subject: y\n\nhi")})
        big = alice_client.post(reverse("add_from_email"), {"file": SimpleUploadedFile("a.eml", b"x" * 2000)})
    assert nothing.status_code == both.status_code == big.status_code == 400
    assert "Give either a file or the pasted source" in nothing.content.decode()
    assert "That file is over 1000 bytes; noghost reads messages up to that size." in big.content.decode()


def test_settings_show_the_address_and_replace_it(alice_client, alice, settings):
    old = address_for(alice).token
    page = alice_client.get(reverse("settings")).content.decode()
    assert f"{old}@{settings.INBOUND_DOMAIN}" in page

    response = alice_client.post(reverse("replace_inbound_address"), follow=True)

    new = address_for(alice).token
    assert new != old and f"Your new forwarding address is {new}@{settings.INBOUND_DOMAIN}" in response.content.decode()
    assert owner_id_for(f"{old}@{settings.INBOUND_DOMAIN}", settings.INBOUND_DOMAIN) is None
    assert owner_id_for(f"{new.upper()}@{settings.INBOUND_DOMAIN.upper()}", settings.INBOUND_DOMAIN) == alice.pk
    assert alice_client.get(reverse("replace_inbound_address")).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_says_how_many_wait(alice_client, alice):
    assert "in your inbox for a look" not in alice_client.get("/").content.decode()
    take("direct-interview.eml", alice)
    take("fiverr-message-html.eml", alice)
    take("upwork-job-alert.eml", alice)  # filed: does not wait
    assert "2 e-mails</strong> wait in your inbox for a look" in alice_client.get("/").content.decode()
