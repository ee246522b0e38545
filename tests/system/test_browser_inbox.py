"""The review inbox and "add from an e-mail" in headless Chromium: upload a saved .eml, see what
was found, log an unsure one through the pre-filled form. Screenshots at 1280x800 and 390x844
(screenshots/inbox-*.png, screenshots/add-from-email-*.png), no sideways scrolling on a phone."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By

from invitations.intake.capture import capture
from invitations.models import InboundMessage, Invitation
from tests.support.browser import BROWSER_MARKS, click_through, log_in, screenshot

CORPUS = Path(__file__).resolve().parents[1] / "intake" / "corpus"
pytestmark = BROWSER_MARKS


@pytest.fixture
def frieda(make_user):
    """A freelancer whose inbox holds the mail noghost was not sure about, and some it was.

    (No Japanese one here: the CI's Chromium has no CJK font, and the screenshots go in the docs.)"""
    user = make_user("frieda", timezone="Europe/Berlin")
    now = timezone.now()
    for n, name in enumerate(["upwork-invite-multipart.eml", "upwork-job-alert.eml", "direct-rtl-arabic.eml",
                              "fiverr-message-html.eml", "direct-call-request.eml", "direct-interview.eml"]):
        capture((CORPUS / name).read_bytes(), owner=user, now=now - dt.timedelta(minutes=10 * (6 - n)), via="smtp")
    return user


def test_upload_an_eml_then_log_an_unsure_one_from_the_inbox(browser, live_server, frieda):  # noqa: F811
    log_in(browser, live_server, "frieda")
    assert "4 e-mails" in browser.find_element(By.CSS_SELECTOR, ".inbox-waiting").text
    browser.get(live_server.url + reverse("add_from_email"))
    screenshot(browser, "add-from-email")
    browser.find_element(By.NAME, "file").send_keys(str(CORPUS / "fiverr-brief.eml"))
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Read it']"))
    assert "Logged invitation" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    assert Invitation.objects.filter(owner=frieda, title="Shopify store speed optimisation").exists()

    browser.get(live_server.url + reverse("inbox"))
    items = browser.find_elements(By.CSS_SELECTOR, ".inbox-item")
    assert [item.find_element(By.CSS_SELECTOR, ".inbox-subject").text for item in items][0] == (
        "Freelance Django developer – interview next week?")
    screenshot(browser, "inbox")

    click_through(browser, items[0].find_element(By.LINK_TEXT, "Log it"))
    assert browser.find_element(By.NAME, "client").get_attribute("value") == "Sophie Laurent"
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))
    message = InboundMessage.objects.get(owner=frieda, subject__startswith="Freelance Django developer")
    assert message.state == InboundMessage.State.LOGGED and message.invitation.client.company == "Atelier Nord"
