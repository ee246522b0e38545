"""The wording page in headless Chromium: the sample decline follows what the user types, a bad
placeholder is named under its part before anything is saved, and saving keeps the text.
Screenshots at 1280x800 and 390x844 (screenshots/message-settings-*.png)."""

from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from invitations.models import Wording
from tests.support.browser import BROWSER_MARKS, click_through, log_in, screenshot

pytestmark = BROWSER_MARKS
OPENING = "Many thanks for thinking of me for $title, $first_name."


def preview_shows(browser, text):
    WebDriverWait(browser, 10).until(
        lambda page: text in page.find_element(By.CSS_SELECTOR, '[data-preview="email"]').text)


def test_the_preview_follows_the_typed_wording_and_a_bad_placeholder_is_named(browser, live_server, make_user):
    owner = make_user("wanda", display_name="Wanda Weber")
    log_in(browser, live_server, "wanda", landing=("welcome-title", "Welcome to noghost"))
    browser.get(live_server.url + reverse("message_settings"))
    opening = browser.find_element(By.NAME, "opening")
    opening.send_keys("Thanks a lot, $budget!")
    WebDriverWait(browser, 10).until(lambda page: page.find_elements(By.CSS_SELECTOR, ".live-error"))
    assert "“$budget” is not a placeholder" in browser.find_element(By.CSS_SELECTOR, ".live-error").text

    opening.clear()
    opening.send_keys(OPENING)
    WebDriverWait(browser, 10).until(lambda page: not page.find_elements(By.CSS_SELECTOR, ".live-error"))
    preview_shows(browser, "Many thanks for thinking of me for ")
    assert "$" not in browser.find_element(By.CSS_SELECTOR, '[data-preview="email"]').text
    screenshot(browser, "message-settings")

    click_through(browser, browser.find_element(By.CSS_SELECTOR, ".wording-form button[type=submit]:not([name])"))
    assert Wording.objects.get(owner=owner, part="opening").text == OPENING


def test_typing_an_acceptance_part_previews_the_acceptance(browser, live_server, make_user):
    make_user("wendy", display_name="Wendy Wu")
    log_in(browser, live_server, "wendy", landing=("welcome-title", "Welcome to noghost"))
    browser.get(live_server.url + reverse("message_settings") + "?language=es")
    browser.find_element(By.CSS_SELECTOR, 'details[data-kind="accept"] > summary').click()
    WebDriverWait(browser, 10).until(
        lambda page: page.find_element(By.CSS_SELECTOR, '[data-preview="subject"]').text.startswith("Será un placer"))

    browser.find_element(By.NAME, "accept_opening").send_keys("¡Gracias por la invitación, $first_name!")
    preview_shows(browser, "Hola, Maya:\n\n¡Gracias por la invitación, Maya! Será un placer, y el ")
    assert browser.find_element(By.ID, "preview_kind").get_attribute("value") == "accept"
    screenshot(browser, "message-settings-accept")
