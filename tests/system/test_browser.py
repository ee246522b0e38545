"""In a real browser (headless Chromium): log, answer, copy, reconnect and snooze, as a person would.

Marked `browser`; skipped when Chromium or chromedriver is missing. The live server runs in
a thread against the test database, so these tests use transaction=True: on SQLite the
in-memory database is then shared with the server thread, on PostgreSQL rows are committed.
The server shares this process's clock, so time-machine moves it too.

Screenshots land in screenshots/ (git-ignored): each page at a laptop's and a phone's viewport,
exactly, and in full (tests/support/browser.py). At the phone's width no page may scroll sideways.
"""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from invitations.clock import at_local_hour, local_date
from invitations.models import FollowUp, FollowUpKind, Invitation, Profile, Status
from invitations.reminders import heartbeat
from invitations.reminders.digests import send_due_digests
from invitations.reminders.sweep import sweep
from tests.support.browser import BROWSER_MARKS, click_through, log_in, screenshot

pytestmark = BROWSER_MARKS


def wait_for_text(browser, field, text):
    """Wait until the live draft has put `text` into `field` (static/js/respond.js asks the server)."""
    WebDriverWait(browser, 10).until(lambda driver: text in field.get_attribute("value"))


def quick_add(browser, client, title):
    """Log an Upwork invitation on the quick-add page, from the page the browser is on."""
    browser.find_element(By.LINK_TEXT, "+ Log invitation").click()
    browser.find_element(By.NAME, "client").send_keys(client)
    browser.find_element(By.NAME, "title").send_keys(title)
    Select(browser.find_element(By.NAME, "platform")).select_by_value("upwork")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))


def test_log_an_invitation_see_it_on_the_dashboard_and_snooze_it(browser, live_server, freelancer):
    log_in(browser, live_server, "frieda")
    quick_add(browser, "Nordlight Analytics", "Browser-logged API review")

    soon = browser.find_element(By.ID, "needs-due_soon")
    assert "Browser-logged API review" in soon.text
    invitation = Invitation.objects.get(owner=freelancer, title="Browser-logged API review")
    assert invitation.followups.get().done_at is None

    # Snooze through the admin's bulk action; test_snooze_from_the_dashboard clicks the dashboard's own.
    browser.get(live_server.url + reverse("admin:invitations_invitation_changelist"))
    browser.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{invitation.pk}']").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("snooze_invitation_followups")
    browser.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    assert "Snoozed 1 follow-up: tomorrow morning." in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text

    browser.find_element(By.LINK_TEXT, "Dashboard").click()
    assert "Browser-logged API review" not in browser.find_element(By.ID, "needs-due_soon").text
    assert invitation.followups.get().snoozed_until > timezone.now()


def test_snooze_from_the_dashboard(browser, live_server, freelancer):
    """One click on "Tomorrow morning" takes the item off the page, and it stays off after a reload."""
    log_in(browser, live_server, "frieda")
    item = browser.find_element(By.ID, "needs-overdue").find_elements(By.CSS_SELECTOR, ".needs-item")[0]
    action = item.find_element(By.CSS_SELECTOR, "form.snooze").get_attribute("action")
    followup = FollowUp.objects.get(pk=int(action.rstrip("/").split("/")[-2]))

    item.find_element(By.XPATH, ".//button[normalize-space()='Tomorrow morning']").click()
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(expected_conditions.staleness_of(item))  # removed without a reload
    browser.refresh()

    assert f'action="{reverse("followup_snooze", args=[followup.pk])}"' not in browser.page_source
    followup.refresh_from_db()
    assert followup.snoozed_until > timezone.now()


def log_maya(browser, live_server, freelancer):
    """Log in and log Maya's invitation on the quick-add page; returns it."""
    log_in(browser, live_server, "frieda")
    quick_add(browser, "Maya Lindqvist", "Realtime dashboard rebuild")
    return Invitation.objects.get(owner=freelancer, title="Realtime dashboard rebuild")


def decline_busy_and_send(browser, live_server, invitation, zone):
    """Decline as busy for nine days (the draft follows the choices), edit, save, copy, and say it
    went out. Returns the busy period's last day."""
    # Answer it: decline, busy for nine days; the draft follows the choices as they are made.
    browser.get(live_server.url + reverse("respond", args=[invitation.pk]))
    assert browser.find_element(By.CSS_SELECTOR, "input[name=action][value=decline]").is_selected()
    Select(browser.find_element(By.NAME, "reason")).select_by_value("busy")
    browser.find_element(By.NAME, "busy_for").send_keys("9 days")
    busy_until = local_date(timezone.now(), zone) + dt.timedelta(days=9)
    message = browser.find_element(By.NAME, "message")
    wait_for_text(browser, message, f"fully booked until {busy_until:%-d %B %Y}")
    assert "Could we reconnect after that?" in message.get_attribute("value")
    screenshot(browser, "respond-busy")

    message.send_keys("\nGood luck with the rebuild!")
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Save answer']"))
    assert "Saved, not sent yet" in browser.find_element(By.CSS_SELECTOR, ".messages").text

    # One click copies the text to send; then one click says it went out.
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": live_server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
    })
    browser.find_element(By.XPATH, "//button[normalize-space()='Copy text']").click()
    WebDriverWait(browser, 5).until(expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, ".copy-status"), "Copied."))
    copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0], (e) => arguments[0](String(e)))")
    assert copied.endswith("Good luck with the rebuild!")
    click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='I sent it']"))
    assert "Recorded: declined (platform message)." in browser.find_element(By.CSS_SELECTOR, ".messages").text
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason, invitation.busy_until) == (Status.DECLINED, "busy", busy_until)
    assert invitation.response_message.endswith("Good luck with the rebuild!")
    assert copied == invitation.response_message.replace("\r\n", "\n")

    return busy_until


def see_the_reconnect_then_snooze_it(browser, reconnect, reconnect_link):
    """On the reconnect's day (the clock already there): it is on `/` and in the digest, and
    "Next week" snoozes it off the page."""
    heartbeat.beat("sweep", now=timezone.now())  # a worker is running, as it would be by then
    browser.refresh()
    assert "The scheduler is not running" not in browser.find_element(By.TAG_NAME, "main").text
    item = browser.find_element(By.XPATH, f"//*[@id='needs-reconnects']//li[.//a[@href='{reconnect_link}']]")
    assert "Maya Lindqvist" in item.text
    screenshot(browser, "dashboard-reconnect")

    click_through(browser, browser.find_element(By.LINK_TEXT, "Digest"))
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe.email-preview"))
    email = browser.find_element(By.TAG_NAME, "body")
    assert "Maya Lindqvist" in email.text
    assert email.value_of_css_property("background-color") == "rgba(247, 248, 250, 1)"  # its inline style applies
    browser.switch_to.default_content()
    screenshot(browser, "digest")

    click_through(browser, browser.find_element(By.LINK_TEXT, "Dashboard"))
    item = browser.find_element(By.XPATH, f"//*[@id='needs-reconnects']//li[.//a[@href='{reconnect_link}']]")
    item.find_element(By.XPATH, ".//button[normalize-space()='Next week']").click()
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(expected_conditions.staleness_of(item))
    reconnect.refresh_from_db()
    assert reconnect.done_at is None and reconnect.snoozed_until > timezone.now()
    browser.refresh()
    assert reconnect_link not in browser.find_element(By.ID, "needs-reconnects").get_attribute("innerHTML")


def test_decline_with_a_busy_period_then_reconnect_on_its_day(browser, live_server, freelancer):
    """Log an invitation, decline it as busy for nine days with an edited draft, copy the text;
    on the ninth day the reconnect is on `/` and in the digest, and it can be snoozed."""
    invitation = log_maya(browser, live_server, freelancer)
    zone = freelancer.profile.zone
    busy_until = decline_busy_and_send(browser, live_server, invitation, zone)

    reconnect = FollowUp.objects.get(invitation=invitation, kind=FollowUpKind.RECONNECT, done_at=None)
    due = at_local_hour(busy_until, freelancer.profile.digest_hour, zone)
    assert reconnect.due_at == due
    browser.get(live_server.url + reverse("client_detail", args=[invitation.client_id]))
    history = browser.find_element(By.CSS_SELECTOR, ".timeline").text
    assert "Invitation: Realtime dashboard rebuild" in history
    assert history.endswith("Due: reconnect after the busy period")
    screenshot(browser, "client")

    click_through(browser, browser.find_element(By.LINK_TEXT, "Dashboard"))
    reconnect_link = f"/followups/{reconnect.pk}/reconnect/"
    assert reconnect_link not in browser.find_element(By.ID, "needs-reconnects").get_attribute("innerHTML")

    # The session lasts two weeks; nine days on, it is still valid and the reconnect is due.
    with time_machine.travel(due + dt.timedelta(minutes=5), tick=True):
        see_the_reconnect_then_snooze_it(browser, reconnect, reconnect_link)


def test_a_user_the_runs_skipped_sees_why_and_so_does_the_superuser(browser, live_server, freelancer, django_user_model):
    Profile.objects.filter(user=freelancer).update(timezone="US/Pacific-New")  # as a tzdata update leaves it
    sweep(timezone.now())
    send_due_digests(timezone.now())

    log_in(browser, live_server, "frieda")
    assert "“US/Pacific-New” is not one this server knows" in browser.find_element(By.TAG_NAME, "main").text
    screenshot(browser, "dashboard-unknown-zone")
    click_through(browser, browser.find_element(By.LINK_TEXT, "Digest"))  # needs the zone: Settings instead
    assert browser.find_element(By.TAG_NAME, "h1").text == "Settings"
    screenshot(browser, "settings-unknown-zone")

    django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-1")
    browser.delete_all_cookies()
    log_in(browser, live_server, "root", landing=("welcome-title", "Welcome to noghost"))  # root logged no invitation
    browser.get(live_server.url + reverse("admin:index"))
    assert "1 user cannot be served as they should." in browser.find_element(By.ID, "content").text
    screenshot(browser, "admin-skipped-users")


def test_mail_in_doubt_is_told_and_sent_again_and_test_digests_wait_a_minute(browser, live_server, freelancer):
    from invitations.mail.outbox import queue_email
    from invitations.mail.rendering import RenderedEmail

    now = timezone.now()
    heartbeat.beat("sweep", now=now)
    nudge = queue_email(freelancer, "nudge", RenderedEmail("2 invitations are past their reply-by", "t", ""), now=now)
    nudge.state, nudge.last_error = "unsure", "MayHaveGone: the whole message was sent, then no answer before the deadline"
    nudge.save()
    log_in(browser, live_server, "frieda")
    notice = browser.find_element(By.CSS_SELECTOR, ".mail-trouble")
    assert "it may or may not have arrived" in notice.text
    screenshot(browser, "mail-unsure")

    click_through(browser, notice.find_element(By.XPATH, ".//button[normalize-space()='Send it again']"))
    assert "Sent “2 invitations are past their reply-by” again" in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.CSS_SELECTOR, ".mail-trouble")

    browser.get(live_server.url + reverse("digest_preview"))
    for _ in range(2):
        click_through(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Send it to me now']"))
    assert "A test digest went to you less than a minute ago." in browser.find_element(By.TAG_NAME, "main").text
    screenshot(browser, "digest-too-soon")
