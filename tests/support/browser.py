"""Driving headless Chromium in the browser tests: logging in, waiting for pages, screenshots.

Screenshots land in screenshots/ (git-ignored): each page at a laptop's and a phone's viewport,
exactly, and in full; the ones the README shows are copied to docs/images/ by hand.
"""

import shutil
import struct
from pathlib import Path

import pytest
from django.urls import reverse
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SIZES = {"desktop": (1280, 800, False), "phone": (390, 844, True)}  # width, height, mobile
LONGEST_SHOT = 8000

# Every browser test module's pytestmark: live server threads share the database (transaction=True).
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)), reason="needs chromium and chromedriver"),
]


def log_in(browser, live_server, username, *, landing=("needs-title", "Needs me now")):
    """Log in on the login page; lands on the dashboard (a user with no invitation yet sees the welcome)."""
    browser.get(live_server.url + reverse("login"))
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys("pw-for-tests-1")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    element, text = landing
    assert browser.find_element(By.ID, element).text == text


def click_through(browser, element):
    """Click a link or submit button, then wait until the next page has loaded in its place.

    The old page is marked with a window property, which the new page does not have: no
    element reference outlives the navigation (Chromium may fail to resolve one mid-load).
    """
    browser.execute_script("window.leavingThisPage = true;")
    element.click()
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script("return !window.leavingThisPage && document.readyState === 'complete';")
    )


def png_size(path):
    """(width, height) from a PNG's header: the IHDR chunk follows the 8-byte signature."""
    with open(path, "rb") as png:
        return struct.unpack(">II", png.read(24)[16:24])


def set_viewport(browser, width, height, *, mobile):
    """The page's own viewport, exactly (a window size would include the browser's chrome)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
    })


def screenshot(browser, name):
    """The current page at each size, as the viewport shows it and in full.

    Checks the files have the viewport's size, and that on the phone nothing makes the page
    scroll sideways (a card, a row of buttons or a chart wider than the screen).
    """
    SHOTS.mkdir(exist_ok=True)
    for size, (width, height, mobile) in SIZES.items():
        set_viewport(browser, width, height, mobile=mobile)
        browser.execute_script("window.scrollTo(0, 0)")
        shot = SHOTS / f"{name}-{size}.png"
        browser.save_screenshot(str(shot))
        assert png_size(shot) == (width, height)
        full = min(browser.execute_script("return document.documentElement.scrollHeight"), LONGEST_SHOT)
        set_viewport(browser, width, full, mobile=mobile)
        browser.save_screenshot(str(SHOTS / f"{name}-{size}-full.png"))
        assert png_size(SHOTS / f"{name}-{size}-full.png") == (width, full)
        set_viewport(browser, width, height, mobile=mobile)
        inner, scroll = browser.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]")
        assert (inner, scroll <= inner) == (width, True), f"{name} at {size}: {scroll}px wide in a {inner}px viewport"
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
