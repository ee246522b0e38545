"""The sweep: overdue invitations are flagged once, and each user hears about them in one nudge."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from invitations.intake.log import log_invitation
from invitations.models import Invitation, OutboundEmail, Status
from invitations.reminders.sweep import batches, sweep
from tests.support import mailservers

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
SECOND = dt.timedelta(seconds=1)


def invite(owner, client, *, received_at, title="", reply_by=None, **kwargs):
    return log_invitation(owner, now=received_at, client=client, title=title, received_at=received_at,
                          reply_by=reply_by, **kwargs)


def nudges():
    return OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NUDGE)


def assert_html_links_to_the_answer_page_and_loads_nothing(message, invitation):
    """The nudge's HTML part: the invitation's title and link to its answer page, no stylesheet or image to load."""
    html = message.alternatives[0].content
    assert f'href="https://noghost.test/invitations/{invitation.pk}/respond/"' in html
    assert "Django REST API" in html and "<link" not in html and "<img" not in html


def test_flags_an_overdue_invitation_once_and_nudges_its_owner(alice, now):
    acme = invite(alice, "Acme", received_at=now - 30 * HOUR, title="Django REST API", company="Acme Corp")

    result = sweep(now)

    acme.refresh_from_db()
    assert acme.flagged_at == now and acme.status == Status.OPEN
    assert (result.flagged, result.nudged, result.sent, result.failed) == (1, 1, 1, 0)
    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Acme is waiting for your answer"
    assert "Acme (Acme Corp): Django REST API" in message.body
    assert "overdue by 6\xa0hours" in message.body
    assert f"https://noghost.test/invitations/{acme.pk}/respond/" in message.body
    assert "https://noghost.test/settings/" in message.body
    assert_html_links_to_the_answer_page_and_loads_nothing(message, acme)


def test_a_second_sweep_changes_nothing(alice, now):
    acme = invite(alice, "Acme", received_at=now - 30 * HOUR)
    sweep(now)

    result = sweep(now + HOUR)

    acme.refresh_from_db()
    assert acme.flagged_at == now
    assert (result.flagged, result.nudged, result.sent) == (0, 0, 0)
    assert nudges().count() == 1 and len(mail.outbox) == 1


def test_one_second_before_the_deadline_nothing_happens_one_second_after_it_is_flagged(alice, now):
    acme = invite(alice, "Acme", received_at=now - 2 * HOUR, reply_by=now + HOUR)

    assert sweep(now + HOUR - SECOND).flagged == 0
    acme.refresh_from_db()
    assert acme.flagged_at is None and mail.outbox == []

    assert sweep(now + HOUR + SECOND).flagged == 1
    acme.refresh_from_db()
    assert acme.flagged_at == now + HOUR + SECOND
    assert len(mail.outbox) == 1 and "overdue by 0\xa0minutes" in mail.outbox[0].body


def test_exactly_at_the_deadline_it_is_due(alice, now):
    acme = invite(alice, "Acme", received_at=now - 2 * HOUR, reply_by=now)

    assert sweep(now).flagged == 1
    acme.refresh_from_db()
    assert acme.flagged_at == now


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN])
def test_answered_or_withdrawn_invitations_are_never_flagged(alice, now, status):
    answered = invite(alice, "Acme", received_at=now - 30 * HOUR)
    Invitation.objects.filter(pk=answered.pk).update(status=status, responded_at=now - 29 * HOUR)

    result = sweep(now)

    answered.refresh_from_db()
    assert answered.flagged_at is None and result.flagged == 0
    assert mail.outbox == [] and not nudges().exists()


def test_one_nudge_per_user_lists_all_their_newly_overdue_invitations(alice, bob, now):
    for name in ("Acme", "Globex", "Initech"):
        invite(alice, name, received_at=now - 30 * HOUR, title=f"{name} job")
    invite(bob, "Umbrella", received_at=now - 25 * HOUR)
    invite(bob, "Hooli", received_at=now - HOUR)  # not due yet

    result = sweep(now)

    assert (result.flagged, result.nudged, result.sent) == (4, 2, 2)
    by_user = {message.to[0]: message for message in mail.outbox}
    assert set(by_user) == {"alice@example.com", "bob@example.com"}
    assert by_user["alice@example.com"].subject == "3 invitations are waiting for your answer"
    assert all(f"{name} job" in by_user["alice@example.com"].body for name in ("Acme", "Globex", "Initech"))
    assert "Umbrella" in by_user["bob@example.com"].body and "Hooli" not in by_user["bob@example.com"].body
    assert Invitation.objects.filter(flagged_at=now).count() == 4


def test_users_without_nudges_or_an_address_are_flagged_but_not_mailed(make_user, now):
    quiet = make_user("quiet", nudges_enabled=False)
    nameless = make_user("nameless")
    nameless.email = ""
    nameless.save()
    for user in (quiet, nameless):
        invite(user, "Acme", received_at=now - 30 * HOUR)

    result = sweep(now)

    assert (result.flagged, result.nudged) == (2, 0)
    assert Invitation.objects.filter(flagged_at=now).count() == 2
    assert mail.outbox == [] and not nudges().exists()


def test_the_nudge_shows_deadlines_in_each_users_own_far_away_zone(make_user, now):
    """Auckland (UTC+13 in November) and Honolulu (UTC-10) read the same instant on different days."""
    kiri = make_user("kiri", timezone="Pacific/Auckland")
    lani = make_user("lani", timezone="Pacific/Honolulu")
    deadline = dt.datetime(2026, 11, 20, 11, 30, tzinfo=dt.timezone.utc)
    for user in (kiri, lani):
        invite(user, "Acme", received_at=deadline - 24 * HOUR, reply_by=deadline)

    assert sweep(deadline - SECOND).flagged == 0
    assert sweep(deadline + SECOND).flagged == 2

    body = {message.to[0]: message.body for message in mail.outbox}
    assert "reply was due 2026-11-21 00:30 NZDT" in body["kiri@example.com"]
    assert "reply was due 2026-11-20 01:30 HST" in body["lani@example.com"]


def test_workers_down_for_two_days_catch_up_with_one_nudge_listing_everything(alice, now):
    """One invitation fell due every 4 hours while no worker ran: the next sweep flags each once,
    and alice gets one nudge, not one per missed run."""
    start = now - dt.timedelta(days=2)
    invitations = [
        invite(alice, f"Client {n}", received_at=start + n * 4 * HOUR - 24 * HOUR, title=f"Job {n}",
               reply_by=start + n * 4 * HOUR)
        for n in range(12)
    ]

    result = sweep(now)
    again = sweep(now + dt.timedelta(minutes=5))

    assert (result.flagged, result.nudged, result.sent) == (12, 1, 1)
    assert (again.flagged, again.nudged, again.sent) == (0, 0, 0)
    for invitation in invitations:
        invitation.refresh_from_db()
        assert invitation.flagged_at == now
    [message] = mail.outbox
    assert message.subject == "12 invitations are waiting for your answer"
    assert all(f"Job {n}\n" in message.body for n in range(12))
    assert "overdue by 2\xa0days" in message.body


def test_a_failed_send_leaves_the_nudge_failed_and_the_next_sweep_sends_it(alice, now, settings):
    acme = invite(alice, "Acme", received_at=now - 30 * HOUR)
    settings.EMAIL_BACKEND = mailservers.DOWN

    result = sweep(now)

    acme.refresh_from_db()
    assert acme.flagged_at == now and (result.flagged, result.sent, result.failed) == (1, 0, 1)
    nudge = nudges().get()
    assert nudge.state == OutboundEmail.State.FAILED and "SMTP server down" in nudge.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = now + dt.timedelta(minutes=5)
    retry = sweep(later)

    nudge.refresh_from_db()
    assert (retry.flagged, retry.nudged, retry.sent, retry.failed) == (0, 0, 1, 0)
    # attempts counts the sends that were about this message: the one that delivered it, not the outage's.
    assert (nudge.state, nudge.attempts, nudge.sent_at) == (OutboundEmail.State.SENT, 1, later)
    assert len(mail.outbox) == 1 and "Acme" in mail.outbox[0].body


def test_the_sweep_leaves_a_failed_digest_to_the_digest_run(alice, now):
    """A digest whose send failed yesterday must never go out today: only the digest run,
    which knows whether its day is over, retries digests; the sweep retries nudges only."""
    from invitations.mail.outbox import queue_email
    from invitations.mail.rendering import RenderedEmail
    from invitations.models import Digest

    email = queue_email(alice, OutboundEmail.Kind.DIGEST, RenderedEmail("Yesterday", "text", ""), now=now)
    OutboundEmail.objects.filter(pk=email.pk).update(state=OutboundEmail.State.FAILED)
    Digest.objects.create(owner=alice, local_date=(now - dt.timedelta(days=1)).date(), claimed_at=now, email=email)

    sweep(now + dt.timedelta(days=1))

    email.refresh_from_db()
    assert email.state == OutboundEmail.State.FAILED
    assert mail.outbox == []


def queries_for_a_sweep(make_user, now, users, per_user):
    for n in range(users):
        owner = make_user(f"user{users}-{n}")
        for m in range(per_user):
            invite(owner, f"Client {m}", received_at=now - 30 * HOUR)
    with CaptureQueriesContext(connection) as captured:
        result = sweep(now)
    assert result.flagged == users * per_user and result.sent == users
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(make_user, now, settings):
    settings.EMAIL_TIMEOUT = 1  # every nudge fits in one outbox batch (outbox.per_message())
    small = queries_for_a_sweep(make_user, now, users=2, per_user=1)
    Invitation.objects.update(status=Status.DECLINED)
    large = queries_for_a_sweep(make_user, now + HOUR, users=12, per_user=5)

    # Only the handoff grows: one UPDATE per e-mail as it goes to the server (rule 6).
    assert large - 12 == small - 2


def test_a_sweep_with_nothing_due_is_a_handful_of_queries(alice, now, django_assert_max_num_queries):
    invite(alice, "Acme", received_at=now - HOUR)

    # One to find nothing due, one to find nothing to send.
    with django_assert_max_num_queries(2):
        result = sweep(now)

    assert (result.flagged, result.nudged, result.sent, result.failed) == (0, 0, 0, 0)


def test_the_sweep_command_prints_what_it_did(alice):
    log_invitation(alice, now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), client="Acme",
                   received_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    out = io.StringIO()

    call_command("sweep", stdout=out)

    assert out.getvalue() == "Sweep done: flagged 1 invitation, nudged 1 user, sent 1 e-mail, 0 failed.\n"
    assert len(mail.outbox) == 1


def test_batches_count_only_users_who_want_nudges():
    owners = [(1, True), (2, False), (3, True), (4, False), (5, True)]

    assert list(batches(owners, nudged_per_batch=2)) == [{1: True, 2: False, 3: True, 4: False}, {5: True}]
    assert list(batches([], nudged_per_batch=2)) == []


def test_small_batches_still_flag_everything_and_nudge_each_user_once(make_user, now):
    users = [make_user(f"user{n}") for n in range(5)]
    for user in users:
        for name in ("Acme", "Globex"):
            invite(user, name, received_at=now - 30 * HOUR)

    result = sweep(now, batch=2)

    assert (result.flagged, result.nudged, result.sent) == (10, 5, 5)
    assert sorted(message.to[0] for message in mail.outbox) == [user.email for user in users]
    assert all("Acme" in message.body and "Globex" in message.body for message in mail.outbox)


def test_the_command_on_a_frozen_clock_one_second_either_side_of_the_deadline(alice, now):
    acme = invite(alice, "Acme", received_at=now - 2 * HOUR, reply_by=now)

    with time_machine.travel(now - SECOND, tick=False):
        call_command("sweep", stdout=io.StringIO())
    acme.refresh_from_db()
    assert acme.flagged_at is None and mail.outbox == []

    with time_machine.travel(now + SECOND, tick=False):
        call_command("sweep", stdout=io.StringIO())
    acme.refresh_from_db()
    assert acme.flagged_at == now + SECOND and len(mail.outbox) == 1
