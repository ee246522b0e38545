"""`/`: what needs me now (with its actions), the pipeline, the charts, the filters, the query count."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.world import populate
from invitations.accounts import make_freelancer
from invitations.followups.lifecycle import mark_done, open_followup, snooze
from invitations.intake.log import log_invitation
from invitations.mail.outbox import queue_email
from invitations.mail.rendering import RenderedEmail
from invitations.models import Digest, FollowUpKind, Invitation, Mailbox, NoticedReply, OutboundEmail, Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)  # 10:00 in Berlin
H = dt.timedelta(hours=1)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def sections(response):
    return {s.key: [fu.pk for fu in s.items] for s in response.context["sections"]}


def test_login_required(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@time_machine.travel(NOW, tick=False)
def test_needs_me_now_sorts_what_is_due_today(alice_client, alice, bob):
    overdue = log_invitation(alice, now=NOW, client="Late Ltd", title="Overdue job", received_at=NOW - 30 * H)
    today = log_invitation(alice, now=NOW, client="Soon GmbH", title="Due tonight", received_at=NOW - 12 * H)
    tomorrow = log_invitation(alice, now=NOW, client="Later Inc", title="Due in 30 hours", received_at=NOW - H,
                              reply_by=NOW + 30 * H)
    reconnect, _ = open_followup(alice, FollowUpKind.RECONNECT, now=NOW, due_at=NOW - H, client=overdue.client)
    notify, _ = open_followup(alice, FollowUpKind.NOTIFY_REFERRER, now=NOW, due_at=NOW + 2 * H, invitation=today)
    open_followup(alice, FollowUpKind.CUSTOM, now=NOW, due_at=NOW + 20 * H, client=today.client)  # tomorrow in Berlin
    snoozed, _ = open_followup(alice, FollowUpKind.CUSTOM, now=NOW, due_at=NOW - H, client=today.client)
    snooze(snoozed, until=NOW + 5 * H, now=NOW)
    finished, _ = open_followup(alice, FollowUpKind.CONFIRM_IN_WRITING, now=NOW, due_at=NOW - H, client=today.client)
    mark_done(finished, now=NOW)
    log_invitation(bob, now=NOW, client="Bob's client", received_at=NOW - 30 * H)

    response = alice_client.get(reverse("dashboard"))

    reply = {inv: inv.followups.get(kind="reply").pk for inv in (overdue, today, tomorrow)}
    assert sections(response) == {
        "overdue": [reply[overdue]], "due_soon": [reply[today]], "reconnects": [reconnect.pk],
        "followups": [notify.pk],
    }
    page = response.content.decode()
    assert "Overdue job" in page and "Due tonight" in page and "Due in 30 hours" not in page
    assert "Bob" not in page


@time_machine.travel(NOW, tick=False)
def test_each_item_has_answer_snooze_and_done_that_work_without_javascript(alice_client, alice):
    inv = log_invitation(alice, now=NOW, client="Late Ltd", received_at=NOW - 30 * H)
    reply = inv.followups.get()
    reconnect, _ = open_followup(alice, FollowUpKind.RECONNECT, now=NOW, due_at=NOW - H, client=inv.client)

    page = alice_client.get(reverse("dashboard")).content.decode()

    assert f'href="/invitations/{inv.pk}/respond/"' in page
    assert f'href="/followups/{reconnect.pk}/reconnect/"' in page
    for fu in (reply, reconnect):
        assert f'<form method="post" action="/followups/{fu.pk}/snooze/"' in page
    assert f'<form method="post" action="/followups/{reconnect.pk}/done/"' in page
    # The reply of an unanswered invitation has "Answered elsewhere" instead of Done (issue 19, item 3).
    assert f'action="/followups/{reply.pk}/done/"' not in page
    assert f'<form method="post" action="/invitations/{inv.pk}/answered/"' in page
    assert 'name="csrfmiddlewaretoken"' in page


@time_machine.travel(NOW, tick=False)
def test_a_long_backlog_shows_ten_and_says_how_many_more(alice_client, alice):
    for i in range(13):
        log_invitation(alice, now=NOW, client=f"Client {i}", received_at=NOW - 30 * H)

    response = alice_client.get(reverse("dashboard"))

    overdue = response.context["sections"][0]
    assert (overdue.total, len(overdue.items), overdue.more) == (13, 10, 3)
    assert "and 3 more" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_charts_are_svg_with_a_text_alternative(alice_client, alice):
    inv = log_invitation(alice, now=NOW, client="Acme", platform="upwork", received_at=NOW - 30 * H)
    Invitation.objects.filter(pk=inv.pk).update(status=Status.DECLINED, responded_at=NOW - 29 * H, decline_reason="rate")

    page = alice_client.get(reverse("dashboard")).content.decode()

    for slug in ["chart-pipeline", "chart-reply-rate", "chart-platforms", "chart-months", "chart-reasons"]:
        assert f'role="img" aria-labelledby="{slug}-title {slug}-desc"' in page
        assert f'<title id="{slug}-title">' in page and f'<desc id="{slug}-desc">' in page
    assert '<table class="visually-hidden">' in page
    assert '<th scope="row">Rate or budget too low</th><td>1</td>' in page
    assert "<script src=\"http" not in page  # no CDN


@time_machine.travel(NOW, tick=False)
def test_filters_by_period_and_platform(alice_client, alice):
    log_invitation(alice, now=NOW, client="Acme", platform="upwork", received_at=NOW - dt.timedelta(days=10))
    log_invitation(alice, now=NOW, client="Acme", platform="fiverr", received_at=NOW - dt.timedelta(days=10))
    log_invitation(alice, now=NOW, client="Acme", platform="upwork", received_at=NOW - dt.timedelta(days=200))

    def open_count(**params):
        response = alice_client.get(reverse("dashboard"), params)
        return dict((status, n) for status, _, n in response.context["learned"]["pipeline"])["open"]

    assert open_count() == 2
    assert open_count(period=365) == 3
    assert open_count(period=365, platform="upwork") == 2


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("params, field", [({"period": "7"}, "period"), ({"period": "x"}, "period"),
                                           ({"platform": "myspace"}, "platform")])
def test_a_bad_filter_is_named_and_the_default_used(alice_client, params, field):
    response = alice_client.get(reverse("dashboard"), params)

    assert response.status_code == 200
    assert field in response.context["filter_form"].errors
    assert response.context["filters"].days == (90 if field == "period" else 90)
    assert "Select a valid choice" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_dashboard_query_count_does_not_grow_with_invitations(alice_client, alice, bob):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert alice_client.get(reverse("dashboard"), {"period": 365}).status_code == 200
        return len(ctx)

    def replies_noticed(count):
        for invitation in Invitation.objects.filter(owner=alice, noticed_reply=None)[:count]:
            NoticedReply.objects.create(owner=alice, invitation=invitation, sent_at=NOW - H, message="Thanks!")

    populate(alice, 5, now=NOW, span_days=60, seed=1)
    populate(bob, 5, now=NOW, span_days=60, seed=2)
    Mailbox.objects.create(owner=alice, host="imap.example.org", username="alice", state=Mailbox.State.FAILING,
                           failing_since=NOW - H, last_error="imap.example.org refused the user name or app password.")
    replies_noticed(1)
    with_5 = queries()
    populate(alice, 495, now=NOW, span_days=60, seed=3)
    replies_noticed(30)
    with_500 = queries()
    cached = queries()

    assert Invitation.objects.filter(owner=alice).count() == 500
    assert NoticedReply.objects.filter(owner=alice).count() == 31
    # session, user, profile, 6 for "needs me now" (the overdue not listed counted too), the week's interviews,
    # the figures' stamp, 4 for the figures and 1 for when time changes them, heartbeat, undelivered mail,
    # last digest, the e-mails waiting in the inbox, the failing mailbox, the replies noticed (with
    # their invitations and clients)
    assert with_5 == with_500 == 22
    assert cached == 17  # nothing written since: the stamp is read, the figures come from the cache


def email_in(owner, subject, *, state, claimed=None, attempts=1, created=NOW - H):
    email = queue_email(owner, OutboundEmail.Kind.NUDGE, RenderedEmail(subject, "text", ""), now=created)
    OutboundEmail.objects.filter(pk=email.pk).update(state=state, claimed_at=claimed, attempts=attempts)
    return email


def assert_links_to_their_admin_pages(page, emails):
    for email in emails:
        assert f'href="{reverse("admin:invitations_outboundemail_change", args=[email.pk])}"' in page


def assert_none_shown(page, subjects):
    for subject in subjects:
        assert subject not in page


@time_machine.travel(NOW, tick=False)
def test_my_mail_left_sending_failed_for_good_or_late_is_shown_calmly_with_a_link(client, alice, bob):
    make_freelancer(alice)
    client.force_login(alice)
    crashed = email_in(alice, "Left sending by a crash", state="sending", claimed=NOW - 20 * dt.timedelta(minutes=1))
    refused = email_in(alice, "Refused for good", state="failed", attempts=OutboundEmail.MAX_ATTEMPTS)
    OutboundEmail.objects.filter(pk=refused.pk).update(last_error="SMTPRecipientsRefused: 550 No such user")
    email_in(alice, "Being sent right now", state="sending", claimed=NOW - 2 * dt.timedelta(minutes=1))
    email_in(alice, "Failed once, retried next run", state="failed", attempts=1)
    late = email_in(alice, "Nudge of this morning", state="failed", attempts=0, created=NOW - 3 * H)
    OutboundEmail.objects.filter(pk=late.pk).update(last_error="ConnectionRefusedError: SMTP server down")
    email_in(alice, "Crashed last month", state="sending", claimed=NOW - 30 * 24 * H, created=NOW - 30 * 24 * H)
    email_in(bob, "Bob's crashed nudge", state="sending", claimed=NOW - 20 * H)

    page = client.get(reverse("dashboard")).content.decode()

    assert "Some e-mails from noghost have not reached you as expected." in page
    assert "Left sending by a crash" in page and "sending was interrupted" in page
    assert "it is not sent again on its own, so nothing arrives twice" in page
    assert "Refused for good" in page
    assert f"sending failed {OutboundEmail.MAX_ATTEMPTS} times (SMTPRecipientsRefused: 550 No such user); noghost has stopped trying." in page
    assert "Nudge of this morning" in page
    assert "not delivered yet: the mail server keeps failing (ConnectionRefusedError: SMTP server down), and noghost keeps trying." in page
    assert_links_to_their_admin_pages(page, [crashed, refused, late])
    assert_none_shown(page, ["Being sent right now", "Failed once", "Crashed last month", "Bob&#x27;s crashed nudge"])


@time_machine.travel(NOW, tick=False)
def test_mail_that_may_have_gone_is_shown_and_sent_again_only_when_i_ask(alice_client, alice, bob):
    unsure = email_in(alice, "Your overdue invitations", state="unsure", created=NOW - 2 * H)
    bobs = email_in(bob, "Bob's maybe", state="unsure")

    page = alice_client.get(reverse("dashboard")).content.decode()
    assert "“Your overdue invitations”" in page and "it may or may not have arrived" in page
    assert "noghost does not send it again on its own, so it never arrives twice" in page
    resend = reverse("email_send_again", args=[unsure.pk])
    assert f'action="{resend}"' in page and "Send it again" in page

    not_mine = alice_client.post(reverse("email_send_again", args=[bobs.pk]))
    assert (not_mine.status_code, alice_client.get(resend).status_code) == (404, 405)
    page = alice_client.post(resend, follow=True).content.decode()
    assert "Sent “Your overdue invitations” again to alice@example.com." in page
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == unsure.message_id  # a receiver can tell it is the same
    assert "it may or may not have arrived" not in page
    again = alice_client.post(resend, follow=True).content.decode()
    assert ("no longer in doubt; nothing was sent" in again, len(mail.outbox)) == (True, 1)


@time_machine.travel(NOW, tick=False)
def test_no_mail_notice_when_all_is_well(alice_client, alice):
    email_in(alice, "Sent fine", state="sent")

    assert "not reached you as expected" not in alice_client.get(reverse("dashboard")).content.decode()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("attempts, days_ago, retried", [
    (1, 0, True), (OutboundEmail.MAX_ATTEMPTS, 0, False), (0, 1, False),  # yesterday's, failed by an outage: its day is over
])
def test_a_failed_digest_is_said_to_be_retried_only_below_the_attempt_cap_on_its_day(alice_client, alice, attempts, days_ago, retried):
    email = email_in(alice, "Your digest", state="failed", attempts=attempts)
    Digest.objects.create(owner=alice, local_date=NOW.date() - dt.timedelta(days=days_ago), claimed_at=NOW, email=email)

    page = alice_client.get(reverse("dashboard")).content.decode()

    assert "failed to send" in page
    assert ("it is retried by the next run" in page) is retried
