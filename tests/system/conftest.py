"""Fixtures of the system tests: a headless Chromium, and a freelancer with a month of history."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from invitations.management.commands.seed_demo import seed_month
from tests.support.browser import CHROMEDRIVER, CHROMIUM


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--hide-scrollbars", "--window-size=1280,800"]:
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
