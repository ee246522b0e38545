"""The respond page keeps the text in step with the answer, and saving is not sending (issue 19,
items 1 and 2): the live draft, the refusal of the other answer's text, and "Did it go out?"."""

import datetime as dt

import pytest
from django.urls import reverse

from invitations.answers.respond import respond
from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind, Invitation, Status, UnsentAnswer
from tests.support.pages import page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def invitation(alice):
    return log_invitation(alice, now=NOW, client="Maya Lindqvist", email="maya@example.com", title="Django API",
                          platform="upwork", url="https://www.upwork.com/jobs/1")


def choices(**overrides):
    return {"action": "decline", "reason": "", "busy_until": "", "busy_for": "", "suggest": "", "interview_at": "",
            "channel": "platform", **overrides}


def test_the_live_draft_follows_the_choices(alice_in, invitation):
    url = reverse("respond_draft", args=[invitation.pk])

    decline = alice_in.get(url, choices(reason="busy", busy_for="3 weeks", channel="email")).json()
    accept = alice_in.get(url, choices(action="accept", interview_at="2026-11-24T16:00")).json()

    assert "fully booked until 11 December 2026" in decline["text"] and "Could we reconnect" in decline["text"]
    assert decline["subject"] == "Thank you for the invitation: Django API"
    assert "I'd be glad to, and Tuesday 24 November at 16:00 CET works for me." in accept["text"]
    assert accept["subject"] == ""  # not an e-mail
    busy = alice_in.get(url, choices(reason="busy")).json()
    assert busy["advice"][0].startswith("Say until when you are busy")


def test_the_live_draft_names_what_is_wrong_and_is_the_owners_only(alice_in, client, bob, invitation):
    response = alice_in.get(reverse("respond_draft", args=[invitation.pk]), choices(busy_for="soon"))
    assert response.status_code == 400 and "busy_for" in response.json()["errors"]
    client.force_login(bob)
    assert client.get(reverse("respond_draft", args=[invitation.pk]), choices()).status_code == 404


def test_the_page_marks_the_drafted_text_so_its_script_knows_an_edit(alice_in, invitation):
    text = page(alice_in.get(reverse("respond", args=[invitation.pk])))

    assert 'data-draft-url="/invitations/%d/draft/"' % invitation.pk in text
    assert 'data-drafted="Hi Maya,' in text
    assert "data-redraft-offer hidden" in text


def test_accept_saved_with_the_decline_text_is_refused_with_a_way_out(alice_in, invitation, unchanged):
    shown = page(alice_in.get(reverse("respond", args=[invitation.pk])))
    decline = shown.split('name="message"')[1].split(">", 1)[1].split("</textarea>")[0].strip()

    with unchanged():
        response = alice_in.post(reverse("respond", args=[invitation.pk]), choices(action="accept", message=decline))

    assert response.status_code == 200
    [problem] = response.context["form"].errors["message"]
    assert problem.startswith("The message still declines (“i have to decline this one”)")
    assert "your answer is Accept. Press “Draft message”" in page(response)


def test_saving_keeps_it_unsent_and_the_page_asks_whether_it_went_out(alice_in, invitation):
    response = alice_in.post(reverse("respond", args=[invitation.pk]), choices(reason="rate"), follow=True)

    text = page(response)
    for said in ("Saved, not sent yet: send it yourself, then tell noghost below.", "Your decline, not sent yet",
                 "noghost does not send it for you.", "stays on “Needs me now”", 'data-copy="unsent-message"',
                 'href="https://www.upwork.com/jobs/1"', "Open the invitation on Upwork", "answer drafted, not sent",
                 f'action="/invitations/{invitation.pk}/sent/"', ">I sent it</button>",
                 ">E-mail</button>", ">Phone call</button>", ">In person</button>"):
        assert said in text
    assert "What you sent" not in text
    invitation.refresh_from_db()
    assert invitation.status == Status.OPEN


def test_an_e_mail_answer_waits_with_its_mailto_link(alice_in, invitation):
    alice_in.post(reverse("respond", args=[invitation.pk]), choices(channel="email", reason="remote"))

    text = page(alice_in.get(reverse("invitation_detail", args=[invitation.pk])))
    assert 'href="mailto:maya@example.com?subject=Thank%20you%20for%20the%20invitation%3A%20Django%20API' in text


def test_i_sent_it_records_the_answer_and_the_heading_then_says_sent(alice_in, invitation):
    alice_in.post(reverse("respond", args=[invitation.pk]), choices(reason="rate"))

    response = alice_in.post(reverse("answer_sent", args=[invitation.pk]), follow=True)

    text = page(response)
    assert "Recorded: declined (platform message)." in text
    assert "What you sent" in text and "Your decline, not sent yet" not in text
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED and invitation.responded_at == NOW
    assert FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.REPLY).done_at == NOW


def test_answered_another_way_is_one_click(alice_in, invitation):
    alice_in.post(reverse("respond", args=[invitation.pk]), choices(action="accept"))

    alice_in.post(reverse("answer_sent", args=[invitation.pk]), {"channel": "phone"})

    invitation.refresh_from_db()
    assert (invitation.status, invitation.response_channel) == (Status.ACCEPTED, "phone")


def test_confirming_what_is_not_there_says_so(alice_in, invitation, unchanged):
    with unchanged():
        response = alice_in.post(reverse("answer_sent", args=[invitation.pk]), follow=True)
    assert "No saved answer is waiting to be sent" in page(response)


def test_the_respond_page_reopens_the_saved_answer_to_change_it(alice_in, invitation):
    alice_in.post(reverse("respond", args=[invitation.pk]), choices(
        reason="busy", busy_for="2 weeks", suggest="Sam Rivera", message="Hi Maya, busy until 4 December. Sam Rivera?"))

    response = alice_in.get(reverse("respond", args=[invitation.pk]))

    form = response.context["form"]
    assert (form["action"].value(), form["reason"].value(), str(form["busy_until"].value()), form["suggest"].value()) == (
        "decline", "busy", "2026-12-04", "Sam Rivera")
    assert "Hi Maya, busy until 4 December. Sam Rivera?" in page(response)
    assert "You saved an answer on" in page(response)


def test_a_decline_saved_without_its_busy_period_is_warned_about(alice_in, invitation):
    plain = page(alice_in.get(reverse("respond", args=[invitation.pk])))
    text = plain.split('name="message"')[1].split(">", 1)[1].split("</textarea>")[0].strip()

    response = alice_in.post(reverse("respond", args=[invitation.pk]), choices(busy_for="3 weeks", message=text),
                                 follow=True)

    assert "does not say you are busy until 11 December 2026" in page(response)
    assert UnsentAnswer.objects.get().busy_until == dt.date(2026, 12, 11)


def test_an_interview_more_than_two_years_ahead_asks_for_confirmation(alice_in, invitation, unchanged):
    url = reverse("respond", args=[invitation.pk])
    far = choices(action="accept", interview_at="2029-11-24T16:00")

    with unchanged():
        response = alice_in.post(url, far)
    assert "24 November 2029 is more than two years away. Check the year" in response.context["form"].errors["interview_at"][0]
    assert 'name="confirm_date"' in page(response)

    assert alice_in.post(url, {**far, "confirm_date": "on"}).status_code == 302
    assert UnsentAnswer.objects.get().interview_at == dt.datetime(2029, 11, 24, 15, tzinfo=UTC)


def test_answered_elsewhere_without_a_saved_text_asks_which_answer(alice_in, invitation):
    response = alice_in.post(reverse("answered_elsewhere", args=[invitation.pk]),
                                 {"action": "decline", "channel": "phone", "next": "/"})

    assert response["Location"] == "/"
    invitation.refresh_from_db()
    assert (invitation.status, invitation.response_channel) == (Status.DECLINED, "phone")


def test_answered_elsewhere_needs_an_answer(alice_in, invitation, unchanged):
    with unchanged():
        alice_in.post(reverse("answered_elsewhere", args=[invitation.pk]), {"action": "", "channel": "phone"})
    assert Invitation.objects.get().status == Status.OPEN


def test_only_the_owner_confirms(client, bob, invitation, unchanged):
    respond(invitation, now=NOW, action="decline", sent=False)
    client.force_login(bob)
    with unchanged():
        assert client.post(reverse("answer_sent", args=[invitation.pk])).status_code == 404
        assert client.post(reverse("answered_elsewhere", args=[invitation.pk]),
                           {"action": "decline", "channel": "phone"}).status_code == 404
