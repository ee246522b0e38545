"""Logging an invitation (rule 1) through the one domain function every way in shares."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

import invitations.intake.log
from invitations.intake.log import log_invitation, move_reply_by
from invitations.models import Client, FollowUp, FollowUpKind, Invitation, Status
from invitations.reminders.sweep import sweep

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def test_defaults_reply_by_to_received_plus_reply_window_and_opens_reply_followup(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", title="API work", platform="upwork")

    invitation.refresh_from_db()
    assert invitation.received_at == now
    assert invitation.reply_by == now + 24 * HOUR
    assert invitation.status == Status.OPEN
    followup = FollowUp.objects.get(invitation=invitation)
    assert (followup.kind, followup.due_at, followup.done_at, followup.owner) == (
        FollowUpKind.REPLY, invitation.reply_by, None, alice,
    )


def test_reply_window_follows_the_users_profile(alice, now):
    alice.profile.reply_window_hours = 6
    alice.profile.save()

    invitation = log_invitation(alice, now=now, client="Acme", received_at=now - 2 * HOUR)

    assert invitation.reply_by == now + 4 * HOUR


def test_explicit_reply_by_is_kept(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", reply_by=now + 3 * HOUR)

    assert invitation.reply_by == now + 3 * HOUR
    assert invitation.followups.get().due_at == now + 3 * HOUR


def test_client_with_same_name_in_any_case_is_reused(alice, now):
    first = log_invitation(alice, now=now, client="Acme Corp")
    second = log_invitation(alice, now=now, client="  aCME corp ")

    assert second.client == first.client
    assert Client.objects.filter(owner=alice).count() == 1


def test_same_client_name_for_two_users_is_two_clients(alice, bob, now):
    a = log_invitation(alice, now=now, client="Acme")
    b = log_invitation(bob, now=now, client="Acme")

    assert a.client != b.client
    assert (a.client.owner, b.client.owner) == (alice, bob)


def test_referred_by_name_becomes_or_reuses_a_client(alice, now):
    first = log_invitation(alice, now=now, client="Acme", referred_by="Jonas Weber")
    second = log_invitation(alice, now=now, client="Globex", referred_by="jonas weber")

    assert first.referred_by == second.referred_by
    assert first.referred_by.name == "Jonas Weber"
    assert first.referred_by.owner == alice


def test_new_client_details_are_stored(alice, now):
    invitation = log_invitation(alice, now=now, client="Maya", company="Nordlight", email="maya@nordlight.test")

    assert (invitation.client.company, invitation.client.email) == ("Nordlight", "maya@nordlight.test")


def test_accepts_an_existing_client_object(alice, now):
    client = Client.objects.create(owner=alice, name="Acme")

    assert log_invitation(alice, now=now, client=client).client == client


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"client": ""}, "client"),
        ({"client": "   "}, "client"),
        ({"client": "x" * 201}, "client"),
        ({"client": "Acme", "title": "t" * 201}, "title"),
        ({"client": "Acme", "platform": "myspace"}, "platform"),
        ({"client": "Acme", "email": "not-an-address"}, "email"),
        ({"client": "Acme", "url": "not a url"}, "url"),
        ({"client": "Acme", "referred_by": "r" * 201}, "referred_by"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(alice, now, unchanged, kwargs, field):
    with unchanged(), pytest.raises(ValidationError) as raised:
        log_invitation(alice, now=now, **kwargs)

    assert field in raised.value.message_dict


def test_reply_by_before_received_is_refused(alice, now, unchanged):
    with unchanged(), pytest.raises(ValidationError) as raised:
        log_invitation(alice, now=now, client="Acme", received_at=now - HOUR, reply_by=now - 2 * HOUR)

    assert raised.value.message_dict == {"reply_by": ["Reply-by is before the invitation was received."]}


def test_received_in_the_future_is_refused(alice, now, unchanged):
    with unchanged(), pytest.raises(ValidationError) as raised:
        log_invitation(alice, now=now, client="Acme", received_at=now + 2 * HOUR)

    assert "received_at" in raised.value.message_dict


def test_unknown_platform_message_lists_the_known_ones(alice, now):
    with pytest.raises(ValidationError) as raised:
        log_invitation(alice, now=now, client="Acme", platform="myspace")

    message = raised.value.message_dict["platform"][0]
    assert "'myspace' is not a platform noghost knows" in message and "upwork" in message


def test_every_problem_is_named_at_once(alice, now):
    with pytest.raises(ValidationError) as raised:
        log_invitation(alice, now=now, client="", platform="myspace", title="t" * 300)

    assert set(raised.value.message_dict) == {"client", "platform", "title"}


def test_another_users_client_cannot_be_used(alice, bob, now, unchanged):
    bobs_client = Client.objects.create(owner=bob, name="Bob's client")

    with unchanged(), pytest.raises(ValidationError) as raised:
        log_invitation(alice, now=now, client=bobs_client)

    assert "client" in raised.value.message_dict


def test_a_failure_after_the_client_is_created_leaves_no_client(alice, now, unchanged, monkeypatch):
    """One transaction: a crash while opening the follow-up takes the new client and invitation back."""
    import invitations.intake.log

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(invitations.intake.log, "open_followup", explode)
    with unchanged(), pytest.raises(RuntimeError):
        log_invitation(alice, now=now, client="Brand new client", referred_by="Brand new referrer")

    assert not Invitation.objects.exists()


def test_moving_reply_by_ahead_moves_the_reply_followup_and_lets_the_sweep_guard_it_again(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", received_at=now - 30 * HOUR)
    assert sweep(now).flagged == 1

    move_reply_by(invitation, now + 2 * HOUR, now=now)

    invitation.refresh_from_db()
    assert (invitation.reply_by, invitation.flagged_at) == (now + 2 * HOUR, None)
    assert invitation.followups.get(kind=FollowUpKind.REPLY, done_at=None).due_at == now + 2 * HOUR
    assert sweep(now + HOUR).flagged == 0
    assert sweep(now + 3 * HOUR).nudged == 1  # the new deadline passed: flagged and nudged again


def test_moving_reply_by_into_the_past_keeps_the_flag(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", received_at=now - 30 * HOUR)
    sweep(now)

    move_reply_by(invitation, now - 2 * HOUR, now=now)

    invitation.refresh_from_db()
    assert invitation.flagged_at == now
    assert invitation.followups.get(kind=FollowUpKind.REPLY).due_at == now - 2 * HOUR


def test_moving_reply_by_of_an_answered_invitation_keeps_its_history(alice, now):
    invitation = log_invitation(alice, now=now, client="Acme", received_at=now - 30 * HOUR)
    sweep(now)
    Invitation.objects.filter(pk=invitation.pk).update(status=Status.DECLINED, responded_at=now)
    invitation.refresh_from_db()

    move_reply_by(invitation, now + 2 * HOUR, now=now)

    invitation.refresh_from_db()
    assert invitation.flagged_at == now


def test_moving_reply_by_before_received_is_refused(alice, now, unchanged):
    invitation = log_invitation(alice, now=now, client="Acme", received_at=now - 30 * HOUR)

    with unchanged(), pytest.raises(ValidationError) as raised:
        move_reply_by(invitation, now - 31 * HOUR, now=now)

    assert "reply_by" in raised.value.message_dict


def test_a_client_created_by_a_racing_request_between_lookup_and_insert_is_reused(alice, now, monkeypatch):
    """Two quick-adds with one new name: the other request's INSERT lands after our lookup found nothing."""
    lookup = invitations.intake.log.find_client
    rival = []

    def lookup_then_rival_commits(owner, name):
        found = lookup(owner, name)
        if found is None and not rival:
            rival.append(Client.objects.create(owner=owner, name=name.upper()))
        return found

    monkeypatch.setattr(invitations.intake.log, "find_client", lookup_then_rival_commits)

    # (It once named the client as its own referrer; a client cannot refer themselves now: issue 19, item 10.)
    invitation = log_invitation(alice, now=now, client="Globex")

    assert list(Client.objects.filter(owner=alice)) == rival
    assert invitation.client == rival[0]
    assert invitation.followups.get().kind == FollowUpKind.REPLY


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_quick_adds_at_once_with_one_new_name_share_one_client(alice, now):
    """Two threads, two connections, both past the lookup before either inserts."""
    both_looked_up = threading.Barrier(2, timeout=30)
    results, errors = [], []

    def insert_after_the_other_looked_up(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "invitations_client"'):
            both_looked_up.wait()
        return execute(sql, params, many, context)

    def quick_add(title):
        try:
            with connection.execute_wrapper(insert_after_the_other_looked_up):
                results.append(log_invitation(alice, now=now, client="Brand New Ltd", title=title))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
            both_looked_up.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=quick_add, args=(title,)) for title in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    [client] = Client.objects.filter(owner=alice)
    assert sorted(Invitation.objects.filter(client=client).values_list("title", flat=True)) == ["first", "second"]


def test_a_new_clients_phone_is_kept_and_a_too_long_one_refused_by_its_name(alice, now, unchanged):
    invitation = log_invitation(alice, now=now, client="Acme", phone="+49 30 1234567")
    assert invitation.client.phone == "+49 30 1234567"

    with unchanged(), pytest.raises(ValidationError) as refused:
        log_invitation(alice, now=now, client="Nordlight", phone="1" * 51)
    assert list(refused.value.message_dict) == ["phone"]


def test_logging_checks_once_and_writes_in_a_fixed_number_of_queries(alice, now, django_assert_num_queries):
    log_invitation(alice, now=now, client="Acme", received_at=now - HOUR)
    # The client's look-up, the invitation's INSERT, the `reply` follow-up's INSERT (no savepoint:
    # nobody else can open one for an invitation not committed yet), the contact rule, the savepoint
    # of the whole: 6 (it was 20, the invitation checked twice, each time asking the database for its
    # owner, its client and its check constraint; then 11, with a savepoint inside a savepoint and a
    # read and a savepoint before the follow-up's INSERT).
    with django_assert_num_queries(6):
        log_invitation(alice, now=now, client="acme", title="Second", received_at=now - HOUR)


def test_a_new_clients_first_invitation_skips_the_contact_rule_it_cannot_apply(alice, now, django_assert_num_queries):
    # A client saved by this call has no reconnects to close: its INSERT in a savepoint replaces the
    # contact rule's UPDATE (6 + 3 - 1).
    with django_assert_num_queries(8) as counted:
        invitation = log_invitation(alice, now=now, client="Nordlight", received_at=now - HOUR)
    assert not any(query["sql"].startswith("UPDATE") for query in counted.captured_queries)
    assert invitation.followups.get().kind == FollowUpKind.REPLY
