"""In a real browser: the draft follows the answer, and a saved answer is not a sent one (issue 19,
items 1 to 3, end to end). Screenshots of the respond page and the dashboard come from here."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from invitations.intake.log import log_invitation
from invitations.models import FollowUp, FollowUpKind, Invitation, Status, UnsentAnswer
from invitations.reminders import heartbeat
from invitations.reminders.sweep import sweep
from tests.support.browser import BROWSER_MARKS, click_through, log_in, screenshot

pytestmark = BROWSER_MARKS


def message_of(browser):
    return browser.find_element(By.NAME, "message").get_attribute("value")


def wait_until(browser, condition, seconds=10):
    WebDriverWait(browser, seconds).until(lambda driver: condition())


def test_accept_chosen_after_decline_is_saved_as_an_acceptance(browser, live_server, freelancer):
    invitation = log_invitation(freelancer, now=timezone.now(), client="Maya Lindqvist", title="Realtime dashboard",
                                platform="upwork", url="https://www.upwork.com/jobs/realtime")
    log_in(browser, live_server, "frieda")
    browser.get(live_server.url + reverse("respond", args=[invitation.pk]))
    assert "I have to decline this one." in message_of(browser)

    browser.find_element(By.CSS_SELECTOR, "input[name=action][value=accept]").click()
    wait_until(browser, lambda: "I'd be glad to; which times suit you?" in message_of(browser))
    assert "decline" not in message_of(browser)
    screenshot(browser, "respond")

    # Once edited by hand, a change of choices offers to redraft instead of replacing the words.
    browser.find_element(By.NAME, "message").send_keys("\nTalk soon!")
    browser.find_element(By.CSS_SELECTOR, "input[name=action][value=decline]").click()
    offer = browser.find_element(By.CSS_SELECTOR, "[data-redraft-offer]")
    wait_until(browser, offer.is_displayed)
    assert message_of(browser).endswith("Talk soon!")
    browser.find_element(By.CSS_SELECTOR, "input[name=action][value=accept]").click()
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Save answer']"))

    assert "Your acceptance, not sent yet" in browser.find_element(By.TAG_NAME, "main").text
    unsent = UnsentAnswer.objects.get(invitation=invitation)
    assert unsent.status == Status.ACCEPTED and "I'd be glad to" in unsent.message and "decline" not in unsent.message
    assert Invitation.objects.get(pk=invitation.pk).status == Status.OPEN
    screenshot(browser, "invitation-unsent")

    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='I sent it']"))
    invitation.refresh_from_db()
    assert invitation.status == Status.ACCEPTED and invitation.response_message.endswith("Talk soon!")
    assert "What you sent" in browser.find_element(By.TAG_NAME, "main").text


def test_a_saved_decline_not_confirmed_is_still_flagged_and_still_needs_me(browser, live_server, freelancer):
    now = timezone.now()
    invitation = log_invitation(freelancer, now=now, client="Tom Okafor", title="Billing migration", platform="upwork",
                                reply_by=now + dt.timedelta(hours=1))
    log_in(browser, live_server, "frieda")
    browser.get(live_server.url + reverse("respond", args=[invitation.pk]))
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Save answer']"))
    assert "Your decline, not sent yet" in browser.find_element(By.TAG_NAME, "main").text

    after = invitation.reply_by + dt.timedelta(minutes=5)
    with time_machine.travel(after, tick=True):
        result = sweep(timezone.now())  # what the worker does every five minutes
        heartbeat.beat("sweep", now=timezone.now())
        invitation.refresh_from_db()
        assert result.flagged >= 1 and invitation.flagged_at is not None and invitation.status == Status.OPEN
        assert FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.REPLY).done_at is None

        click_through(browser, browser.find_element(By.LINK_TEXT, "Dashboard"))
        overdue = browser.find_element(By.ID, "needs-overdue")
        item = overdue.find_element(By.XPATH, f".//li[.//a[@href='/invitations/{invitation.pk}/#unsent']]")
        assert "Tom Okafor" in item.text and "answer drafted, not sent" in item.text and "Send it" in item.text
        assert "Nobody is being ghosted" not in browser.find_element(By.TAG_NAME, "main").text
        screenshot(browser, "dashboard")


def test_done_says_what_happened_with_an_undo_that_brings_it_back(browser, live_server, freelancer):
    log_in(browser, live_server, "frieda")
    section = browser.find_element(By.ID, "needs-reconnects")
    item = section.find_elements(By.CSS_SELECTOR, ".needs-item")[0]
    reconnect = FollowUp.objects.get(pk=int(item.find_element(By.CSS_SELECTOR, "form.snooze")
                                             .get_attribute("action").rstrip("/").split("/")[-2]))

    item.find_element(By.XPATH, ".//button[normalize-space()='Done']").click()
    toast = browser.find_element(By.CSS_SELECTOR, "main .messages li[role=status]")
    assert toast.text.startswith("Done: “Reconnect after the busy period”")
    reconnect.refresh_from_db()
    assert reconnect.done_at is not None

    click_through(browser, toast.find_element(By.XPATH, ".//button[normalize-space()='Undo']"))
    reconnect.refresh_from_db()
    assert reconnect.done_at is None
    assert f"/followups/{reconnect.pk}/reconnect/" in browser.find_element(By.ID, "needs-reconnects").get_attribute("innerHTML")
