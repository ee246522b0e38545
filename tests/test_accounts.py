"""Accounts: freelancers, login throttling, sessions, logout by POST, password change and reset."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from invitations.accounts import FREELANCER_GROUP, create_freelancer, make_freelancer
from invitations.models import Heartbeat, Profile
from invitations.views.lockout import client_ip

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "pw-for-tests-1"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def log_in(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


# --- freelancers ------------------------------------------------------------------------------

def test_createfreelancer_makes_a_staff_user_in_the_group_with_a_profile(monkeypatch, client):
    monkeypatch.setenv("NEW_PASSWORD", "a sturdy passphrase 42")
    call_command("createfreelancer", "carol", "--email", "carol@example.com", "--password-from-env", "NEW_PASSWORD")

    carol = User.objects.get(username="carol")
    assert carol.is_staff and not carol.is_superuser
    assert list(carol.groups.values_list("name", flat=True)) == [FREELANCER_GROUP]
    assert Profile.objects.filter(user=carol).exists()
    assert log_in(client, "carol", "a sturdy passphrase 42").status_code == 302
    assert client.get(reverse("admin:invitations_invitation_changelist")).status_code == 200


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["dave", "--email", "dave@example.com"], {"PW": "password"}, "password: This password is too common."),
        (["dave", "--email", "not-an-address"], {"PW": "a sturdy passphrase 42"}, "email: Enter a valid email address."),
        (["alice", "--email", "a@example.com"], {"PW": "a sturdy passphrase 42"}, "username: A user with that username"),
        (["dave", "--email", "dave@example.com"], {}, "--password-from-env: $PW is empty or unset."),
    ],
)
def test_createfreelancer_refuses_bad_input_and_writes_nothing(alice, monkeypatch, unchanged, args, env, message):
    monkeypatch.delenv("PW", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with unchanged(), pytest.raises(CommandError, match=re.escape(message)):
        call_command("createfreelancer", *args, "--password-from-env", "PW")


def test_createfreelancer_asks_for_the_password_twice(monkeypatch):
    answers = iter(["a sturdy passphrase 42", "a different one 42"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="The two passwords differ"):
        call_command("createfreelancer", "erin", "--email", "erin@example.com")
    assert not User.objects.filter(username="erin").exists()


def test_a_user_added_in_the_admin_is_a_freelancer(client):
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client.force_login(root)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "frank", "password1": "a sturdy passphrase 42", "password2": "a sturdy passphrase 42",
         "usable_password": "true"},
    )
    assert response.status_code == 302
    frank = User.objects.get(username="frank")
    assert frank.is_staff and frank.groups.filter(name=FREELANCER_GROUP).exists() and frank.profile


def test_the_freelancer_group_reaches_own_work_but_not_shared_machinery(make_user, client):
    gina = make_freelancer(make_user("gina"))
    client.force_login(gina)
    for name in ("invitation", "client", "followup", "outboundemail", "digest", "profile"):
        assert client.get(reverse(f"admin:invitations_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:invitations_invitation_add")).status_code == 200
    assert client.get(reverse("admin:invitations_profile_change", args=[gina.profile.pk])).status_code == 200
    Heartbeat.objects.create(job="sweep", last_run_at=NOW)
    for url in ("admin:invitations_heartbeat_changelist", "admin:auth_user_changelist", "admin:auth_group_changelist",
                "admin:invitations_profile_add"):
        assert client.get(reverse(url)).status_code == 403, url


def test_the_group_is_created_by_the_migration():
    group = Group.objects.get(name=FREELANCER_GROUP)
    assert group.permissions.filter(codename="add_invitation").exists()
    assert not group.permissions.filter(codename__in=["change_heartbeat", "add_user", "delete_outboundemail"]).exists()


def test_create_freelancer_rolls_back_if_the_group_step_fails(monkeypatch, unchanged):
    def broken(user):
        raise RuntimeError("group assignment failed")

    monkeypatch.setattr("invitations.accounts.make_freelancer", broken)
    with unchanged(), pytest.raises(RuntimeError):
        create_freelancer("hank", email="hank@example.com", password="a sturdy passphrase 42")
    assert not Profile.objects.filter(user__username="hank").exists()


# --- login throttling ---------------------------------------------------------------------------

@time_machine.travel(NOW, tick=False)
def test_login_locks_out_after_five_wrong_passwords_and_reopens_after_the_cooloff(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "alice", "wrong").status_code == 200
    locked = log_in(client, "alice", "wrong")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode() and "15 minutes" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert log_in(client, "alice", PASSWORD).status_code == 429

    with time_machine.travel(NOW + settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1), tick=False):
        assert log_in(client, "alice", PASSWORD).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_a_successful_login_resets_the_count(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_lockout_is_per_username_and_address(client, alice, bob):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong")
    assert log_in(client, "bob", PASSWORD).status_code == 302  # bob is not locked out by alice's guesser


@time_machine.travel(NOW, tick=False)
def test_the_admin_login_is_throttled_too(client, alice):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong", url=url)
    assert log_in(client, "alice", PASSWORD, url=url).status_code == 429


def test_client_ip_trusts_only_the_address_our_proxy_appended(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"


# --- sessions and logout ------------------------------------------------------------------------

def test_sessions_expire_after_two_weeks(client, alice):
    log_in(client, "alice", PASSWORD)
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert client.session.get_expiry_age() == 14 * 24 * 3600
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 14 * 24 * 3600
    assert client.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


def test_logout_is_by_post_only(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


# --- password change and reset -----------------------------------------------------------------

def test_password_change(client, alice):
    client.force_login(alice)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and 'class="topbar"' in page.content.decode()

    weak = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert "This password is too common." in weak.content.decode()

    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a sturdy passphrase 42", "new_password2": "a sturdy passphrase 42"},
        follow=True,
    )
    assert "Password changed" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("a sturdy passphrase 42")


def test_password_reset_by_email_with_a_link_on_site_url(client, alice):
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and 'class="topbar"' in page.content.decode()

    sent = client.post(reverse("password_reset"), {"email": "alice@example.com"}, follow=True)
    assert "Check your e-mail" in sent.content.decode()
    [message] = mail.outbox
    assert message.subject == "Reset your noghost password"
    link = re.search(r"https://noghost\.test(/accounts/reset/\S+)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a sturdy passphrase 42", "new_password2": "a sturdy passphrase 42"},
        follow=True,
    )
    assert "Password set" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("a sturdy passphrase 42")
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_link_ignores_a_forged_host_header(client, alice, settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    client.post(reverse("password_reset"), {"email": "alice@example.com"}, HTTP_HOST="evil.example")
    assert "evil.example" not in mail.outbox[0].body
