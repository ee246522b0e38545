"""Notification targets and one-click links in headless Chromium: add a target, send it a
test that a real loopback receiver takes, then follow a decline link from a nudge without
logging in. Screenshots at 1280x800 and 390x844 (screenshots/notification-settings-*.png,
one-click-*.png), no sideways scrolling on a phone."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By

from invitations.intake.log import log_invitation
from invitations.models import NotificationTarget, UnsentAnswer
from invitations.reminders.sweep import sweep
from tests.support.browser import BROWSER_MARKS, click_through, log_in, screenshot
from tests.support.receiver import Receiver

pytestmark = BROWSER_MARKS


@pytest.fixture
def nadia(make_user):
    user = make_user("nadia", timezone="Europe/Lisbon", display_name="Nadia Costa")
    now = timezone.now()
    log_invitation(user, now=now - dt.timedelta(days=2), client="Harbour Analytics", company="Harbour Ltd",
                   title="Dashboard rebuild in Django", received_at=now - dt.timedelta(days=2))
    return user


def test_add_a_target_send_it_a_test_and_decline_from_a_nudge(browser, live_server, nadia):  # noqa: F811
    log_in(browser, live_server, "nadia")
    with Receiver() as receiver:
        browser.get(live_server.url + reverse("notification_settings"))
        browser.find_element(By.NAME, "label").send_keys("Phone")
        browser.find_element(By.NAME, "url").send_keys(receiver.url)
        click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Add']"))
        browser.find_element(By.NAME, "label").send_keys("Team Slack")
        browser.find_element(By.NAME, "url").send_keys("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#noghost")
        click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Add']"))
        test = browser.find_elements(By.XPATH, "//button[normalize-space()='Send a test']")[0]
        click_through(browser, test)
        assert "the test was delivered" in browser.find_element(By.CSS_SELECTOR, ".messages").text
        assert receiver.posts and "TIiajkdnlazkc" not in browser.page_source
        screenshot(browser, "notification-settings")

        sweep(timezone.now())
    assert NotificationTarget.objects.filter(owner=nadia).count() == 2
    decline = re.search(r"Decline as busy until [^:]+: https://noghost\.test(/go/\S+)", mail.outbox[0].body).group(1)

    browser.delete_all_cookies()  # the link works without logging in
    browser.get(live_server.url + decline)
    assert "Decline as busy" in browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").text
    assert not UnsentAnswer.objects.exists()  # opening it changed nothing
    screenshot(browser, "one-click-confirm")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Decline saved, not sent"
    screenshot(browser, "one-click-done")
    browser.get(live_server.url + decline)
    assert browser.find_element(By.TAG_NAME, "h1").text == "This link was used already"
    screenshot(browser, "one-click-used")
