"""The workspace in a real browser: search with the keyboard, edit a client, preview an import, dark mode.

The helpers and fixtures are test_browser.py's (Chromium, the live server, the screenshots at a
laptop's and a phone's size, no sideways scrolling on the phone). These screenshots are the ones
docs/images/ keeps: invitations, clients, import-preview, dashboard-dark.
"""

from django.urls import reverse
from django.utils import timezone
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from invitations.intake.log import log_invitation
from invitations.models import Client, Invitation
from tests.support.browser import BROWSER_MARKS, click_through, log_in, screenshot

pytestmark = BROWSER_MARKS


def wait_for(browser, condition):
    return WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(condition)


def press(browser, key):
    """A key pressed on the page itself, outside any field."""
    browser.find_element(By.TAG_NAME, "body").send_keys(key)


def test_search_with_the_keyboard_finds_any_case_and_accent(browser, live_server, freelancer):
    log_invitation(freelancer, now=timezone.now(), client="Zoë Crème", company="Pâtisserie Élan",
                   title="Shop rebuild", platform="direct")
    log_in(browser, live_server, "frieda")

    press(browser, "?")  # the shortcuts overlay
    overlay = browser.find_element(By.ID, "shortcuts")
    assert overlay.is_displayed() and "Log a new invitation" in overlay.text
    browser.find_element(By.CSS_SELECTOR, "[data-close-shortcuts]").click()
    assert not overlay.is_displayed()

    press(browser, "/")  # not on the list: it opens the list with the search box focused
    wait_for(browser, lambda d: d.execute_script("return document.activeElement.name") == "q")
    box = browser.switch_to.active_element
    box.send_keys("n")  # typed into the field: no shortcut fires
    assert browser.current_url.endswith(reverse("invitation_list") + "#search")
    box.clear()
    box.send_keys("ZOE creme", Keys.ENTER)
    wait_for(browser, lambda d: "q=ZOE+creme" in d.current_url)

    rows = browser.find_elements(By.CSS_SELECTOR, ".rows .row")
    assert [row.find_element(By.CSS_SELECTOR, ".row-title").text for row in rows] == ["Shop rebuild"]
    browser.get(live_server.url + reverse("invitation_list"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".rows .row")) > 20
    screenshot(browser, "invitations")

    press(browser, "n")
    wait_for(browser, lambda d: d.current_url.endswith(reverse("quick_add")))


def test_edit_a_client_and_see_a_twins_name_refused(browser, live_server, freelancer):
    log_in(browser, live_server, "frieda")
    click_through(browser, browser.find_element(By.LINK_TEXT, "Clients"))
    assert "Maya Lindqvist" in browser.find_element(By.CSS_SELECTOR, ".rows").text
    screenshot(browser, "clients")

    click_through(browser, browser.find_element(By.LINK_TEXT, "Maya Lindqvist"))
    click_through(browser, browser.find_element(By.LINK_TEXT, "Edit"))
    name = browser.find_element(By.NAME, "name")
    name.clear()
    name.send_keys("TOM OKAFOR")  # another client's name, in another case
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Save']"))
    assert "merge the two instead" in browser.find_element(By.CSS_SELECTOR, ".field-error").text
    screenshot(browser, "client-edit")

    name = browser.find_element(By.NAME, "name")
    name.clear()
    name.send_keys("Maya Lindqvist-Berg")
    phone = browser.find_element(By.NAME, "phone")
    phone.clear()
    phone.send_keys("+46 8 123 456")
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Save']"))

    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Maya Lindqvist-Berg")
    assert "+46 8 123 456" in browser.find_element(By.CSS_SELECTOR, ".facts").text
    client = Client.objects.get(owner=freelancer, name="Maya Lindqvist-Berg")
    assert client.phone == "+46 8 123 456"


SHEET = """Company,Role,Applied on,Stage,Comments
Kestrel Maps,Geo API,2026-01-12,Pending,Met at a meetup
Kestrel Maps,Tile server,2026-01-19,Rejected,
Orbit Foods,Recipe search,next week,,
Lumen Bank,Fraud dashboard,2026-02-02,Maybe,
"""


def test_import_preview_shows_what_comes_in_and_every_bad_row(browser, live_server, freelancer, tmp_path):
    sheet = tmp_path / "job-tracker.csv"
    sheet.write_text(SHEET)
    log_in(browser, live_server, "frieda")
    click_through(browser, browser.find_element(By.LINK_TEXT, "Invitations"))
    click_through(browser, browser.find_element(By.LINK_TEXT, "Import CSV"))
    browser.find_element(By.NAME, "file").send_keys(str(sheet))
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Read the file']"))

    assert Select(browser.find_element(By.NAME, "client")).first_selected_option.text == "Company"
    Select(browser.find_element(By.NAME, "received")).select_by_visible_text("Applied on")
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Preview the import']"))

    tally = browser.find_element(By.CSS_SELECTOR, ".tally").text
    assert "2 new invitations" in tally and "2 rows with problems" in tally
    problems = browser.find_element(By.ID, "bad-rows").text
    assert "Applied on" in problems and "next week" in problems and "Stage" in problems
    assert not Invitation.objects.filter(owner=freelancer, client__name="Kestrel Maps").exists()
    screenshot(browser, "import-preview")

    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Import 2 invitations']"))
    assert "Imported 2 invitation(s)" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    assert Invitation.objects.filter(owner=freelancer, client__name="Kestrel Maps").count() == 2


def test_the_dashboard_follows_the_systems_dark_mode(browser, live_server, freelancer):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    log_in(browser, live_server, "frieda")
    background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    card = browser.execute_script("return getComputedStyle(document.querySelector('.card')).backgroundColor")
    assert (background, card) == ("rgb(18, 24, 31)", "rgb(27, 35, 44)")
    screenshot(browser, "dashboard-dark")


def test_a_new_user_is_welcomed_with_the_browsers_time_zone(browser, live_server, make_user):
    newcomer = make_user("nina")  # the default zone, UTC: the browser's guess fills it in
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Tokyo"})
    browser.get(live_server.url + reverse("login"))
    browser.find_element(By.NAME, "username").send_keys("nina")
    browser.find_element(By.NAME, "password").send_keys("pw-for-tests-1")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert not browser.find_element(By.ID, "needs-title").is_displayed()  # the welcome stands alone

    assert "Welcome to noghost" in browser.find_element(By.CSS_SELECTOR, ".welcome").text
    assert browser.find_element(By.NAME, "timezone").get_attribute("value") == "Asia/Tokyo"
    browser.find_element(By.NAME, "name").send_keys("Nina Sato")
    screenshot(browser, "welcome")
    click_through(browser, browser.find_element(By.XPATH, "//form[contains(@action, 'welcome')]//button"))

    newcomer.profile.refresh_from_db()
    assert (newcomer.profile.timezone, newcomer.profile.signature) == ("Asia/Tokyo", "Nina Sato")
    assert "Now log your first invitation" in browser.find_element(By.CSS_SELECTOR, ".messages").text

    click_through(browser, browser.find_element(By.LINK_TEXT, "Settings"))
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Make my calendar address']"))
    address = browser.find_element(By.ID, "calendar-url").get_attribute("value")
    assert address.startswith("https://noghost.test/calendar/") and address.endswith(".ics")
    screenshot(browser, "settings-calendar")
