"""In a real browser (headless Chromium): log in, log an invitation, see it on `/`, snooze it.

Marked `browser`; skipped when Chromium or chromedriver is missing. The live server runs in
a thread against the test database, so these tests use transaction=True: on SQLite the
in-memory database is then shared with the server thread, on PostgreSQL rows are committed.
Screenshots land in screenshots/ (git-ignored) at a laptop's and a phone's size.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from invitations.clock import at_local_hour, local_date
from invitations.management.commands.seed_demo import seed_month
from invitations.models import FollowUp, FollowUpKind, Invitation, Status

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parent.parent / "screenshots"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)), reason="needs chromium and chromedriver"),
]


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1280,800"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def freelancer(make_user):
    """A staff user (the admin's bulk actions) with a month of demo history, in Berlin."""
    user = make_user("frieda", timezone="Europe/Berlin")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="invitations"))
    seed_month(user, now=timezone.now())
    return user


def log_in(browser, live_server, username):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + reverse("login"))
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys("pw-for-tests-1")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert browser.find_element(By.ID, "needs-title").text == "Needs me now"


def screenshot(browser, name, *, also=()):
    """The page at each size, as the viewport shows it and in full (for looking it over).

    `also`: element ids to scroll to for extra viewport shots (the charts, lower down).
    """
    SHOTS.mkdir(exist_ok=True)
    for size, (width, height) in SIZES.items():
        browser.set_window_size(width, height)
        browser.save_screenshot(str(SHOTS / f"{name}-{size}.png"))
        for element_id in also:
            browser.execute_script(f"document.getElementById('{element_id}').scrollIntoView()")
            browser.save_screenshot(str(SHOTS / f"{name}-{size}-{element_id}.png"))
        full = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(full + 140, 6000))
        browser.save_screenshot(str(SHOTS / f"{name}-{size}-full.png"))
    browser.set_window_size(*SIZES["desktop"])


def test_log_an_invitation_see_it_on_the_dashboard_and_snooze_it(browser, live_server, freelancer):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    log_in(browser, live_server, "frieda")
    browser.find_element(By.LINK_TEXT, "+ Log invitation").click()
    browser.find_element(By.NAME, "client").send_keys("Nordlight Analytics")
    browser.find_element(By.NAME, "title").send_keys("Browser-logged API review")
    Select(browser.find_element(By.NAME, "platform")).select_by_value("upwork")
    browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]").click()

    soon = browser.find_element(By.ID, "needs-due_soon")
    assert "Browser-logged API review" in soon.text
    invitation = Invitation.objects.get(owner=freelancer, title="Browser-logged API review")
    assert invitation.followups.get().done_at is None
    screenshot(browser, "dashboard", also=["pipeline-title", "learn-title"])

    # Snooze through the admin's bulk action (the dashboard's own snooze button is
    # test_snooze_from_the_dashboard's).
    browser.get(live_server.url + reverse("admin:invitations_invitation_changelist"))
    screenshot(browser, "admin-invitations")
    browser.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{invitation.pk}']").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("snooze_invitation_followups")
    browser.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    assert "Snoozed 1 follow-up(s): tomorrow morning." in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text

    browser.find_element(By.LINK_TEXT, "Dashboard").click()
    assert "Browser-logged API review" not in browser.find_element(By.ID, "needs-due_soon").text
    assert invitation.followups.get().snoozed_until > timezone.now()


def test_snooze_from_the_dashboard(browser, live_server, freelancer):
    """One click on "Tomorrow morning" takes the item off the page, and it stays off after a reload."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    log_in(browser, live_server, "frieda")
    item = browser.find_element(By.ID, "needs-overdue").find_elements(By.CSS_SELECTOR, ".needs-item")[0]
    action = item.find_element(By.CSS_SELECTOR, "form.snooze").get_attribute("action")
    followup = FollowUp.objects.get(pk=int(action.rstrip("/").split("/")[-2]))

    item.find_element(By.XPATH, ".//button[normalize-space()='Tomorrow morning']").click()
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(item))  # removed without a reload
    browser.refresh()

    assert f'action="{reverse("followup_snooze", args=[followup.pk])}"' not in browser.page_source
    followup.refresh_from_db()
    assert followup.snoozed_until > timezone.now()


def test_a_reconnect_appears_on_the_dashboard_on_its_day(browser, live_server, freelancer):
    """A decline on the respond page with a busy period ends in a reconnect on `/` on the day the period ends."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    now = timezone.now()
    zone = freelancer.profile.zone
    invitation = Invitation.objects.filter(owner=freelancer, status=Status.OPEN).first()
    busy_until = local_date(now, zone) + dt.timedelta(days=9)

    log_in(browser, live_server, "frieda")
    browser.get(live_server.url + reverse("respond", args=[invitation.pk]))
    browser.find_element(By.CSS_SELECTOR, "input[name=action][value=decline]").click()
    Select(browser.find_element(By.NAME, "reason")).select_by_value("busy")
    browser.find_element(By.NAME, "busy_for").send_keys("9 days")
    browser.find_element(By.XPATH, "//button[normalize-space()='Save answer']").click()
    assert "Saved: declined." in browser.find_element(By.TAG_NAME, "body").text

    invitation.refresh_from_db()
    assert (invitation.status, invitation.busy_until) == (Status.DECLINED, busy_until)
    reconnect = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT, done_at=None)
    due = at_local_hour(busy_until, freelancer.profile.digest_hour, zone)
    assert reconnect.due_at == due

    browser.get(live_server.url + reverse("dashboard"))
    reconnects = browser.find_element(By.ID, "needs-reconnects")
    assert f"/followups/{reconnect.pk}/reconnect/" not in reconnects.get_attribute("innerHTML")

    # The session lasts two weeks; nine days on, it is still valid and the reconnect is due.
    with time_machine.travel(due + dt.timedelta(minutes=5), tick=True):
        browser.refresh()
        reconnects = browser.find_element(By.ID, "needs-reconnects")
        assert f"/followups/{reconnect.pk}/reconnect/" in reconnects.get_attribute("innerHTML")
        assert invitation.client.name in reconnects.text
