""""Test connection" on /settings/mailbox/ against a real Dovecot (tests/support/dovecot.py): each
failing step in words of its own, the typed settings used (or the stored password), nothing saved."""

import socket

import pytest

from invitations.mailboxes import connection
from invitations.models import Mailbox
from invitations.vault import seal
from tests.support.dovecot import PASSWORD, dovecot, dovecot_server, free_port  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.imap]
URL = "/settings/mailbox/"


@pytest.fixture
def typed(dovecot):  # noqa: F811
    """The settings of the test Dovecot as a user types them, with the Test connection button."""
    return {"host": "127.0.0.1", "port": str(dovecot.port), "security": "plain", "username": dovecot.user,
            "app_password": PASSWORD, "folders": "INBOX", "sent_folder": "", "first_sync_days": "30", "test": "1"}


def outcome(client, fields):
    response = client.post(URL, fields)
    assert response.status_code == 200
    return response.context["tested"], response.content.decode()


def test_a_working_mailbox_signs_in_and_finds_every_folder_and_nothing_is_saved(alice_client, alice, typed):
    result, page = outcome(alice_client, {**typed, "folders": "INBOX, Sent"})

    assert result == "" and "signed in, and every folder is there" in page
    assert "Nothing was saved: type the app password again" in page and PASSWORD not in page
    assert not Mailbox.objects.filter(owner=alice).exists()


def test_a_blank_password_tests_the_stored_one(alice_client, alice, typed, dovecot):  # noqa: F811
    Mailbox.objects.create(owner=alice, host="127.0.0.1", port=dovecot.port, security="plain",
                           username=dovecot.user, password=seal(PASSWORD))
    assert outcome(alice_client, {**typed, "app_password": ""})[0] == ""
    assert outcome(alice_client, {**typed, "app_password": "typed-wrong"})[0].endswith(
        "refused the user name or app password.")


@pytest.mark.parametrize("change, words", [
    ({"app_password": "not-the-app-password"}, "refused the user name or app password."),
    ({"folders": "INBOX, Clients"}, "Signed in, but there is no folder named “Clients”"),
    ({"sent_folder": "Sent Items"}, "Signed in, but there is no folder named “Sent Items”"),
    ({"host": "no-such-host.invalid", "security": "implicit"}, "could not find the server no-such-host.invalid (DNS)"),
    ({"security": "implicit"}, "The TLS handshake with 127.0.0.1:"),
    ({"security": "starttls"}, "127.0.0.1 does not offer STARTTLS"),
])
def test_each_failure_says_what_failed(alice_client, alice, typed, change, words):
    result, page = outcome(alice_client, {**typed, **change})

    assert words in result and f"Test connection failed: {result}" in page.replace("&#x27;", "'")
    assert not Mailbox.objects.filter(owner=alice).exists()


def test_a_port_nothing_listens_on_is_refused(alice_client, typed):
    port = free_port()
    result, _ = outcome(alice_client, {**typed, "port": str(port)})
    assert result.startswith(f"127.0.0.1:{port} refused the connection: nothing takes IMAP on port {port}.")


def test_a_server_that_never_answers_times_out(alice_client, typed, monkeypatch):
    monkeypatch.setattr(connection, "TEST_TIMEOUT", 1)
    with socket.socket() as silent:  # accepts connections (the backlog) and never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        result, _ = outcome(alice_client, {**typed, "port": str(silent.getsockname()[1])})
    assert "did not answer within 1 seconds" in result


def test_the_distinct_messages_never_show_the_password(alice_client, typed):
    for change in ({"app_password": "hunter2-secret"}, {"port": str(free_port()), "app_password": "hunter2-secret"}):
        assert "hunter2-secret" not in outcome(alice_client, {**typed, **change})[1]
