"""Fixtures of the browser tests: one headless Chromium for the run, a seeded live site.

Without a browser the tests skip with a message saying how to install one; with
``REQUIRE_BROWSER=1`` (CI) a missing browser fails them instead.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from pytest_django.live_server_helper import LiveServer
from selenium import webdriver

from tests.browser.chrome import binaries_or_skip, start_chrome
from tests.browser.tab import DESKTOP, PHONE, Tab, Viewport

SEED_BOOKS = 120  # 15 authors, 2 publishers: enough for menus and three pages
READER = ("ada", "correct horse battery")


@pytest.fixture(scope="session")
def chrome(live_server: LiveServer) -> Iterator[webdriver.Chrome]:
    """Yield the one headless Chromium of the run (skips, or fails under REQUIRE_BROWSER=1).

    It depends on the live server so that it quits first: connections Chromium still holds
    open would otherwise reach the server after it released the test database.
    """
    driver = start_chrome(binaries_or_skip())
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(params=[DESKTOP, PHONE], ids=lambda viewport: viewport.name)
def viewport(request: pytest.FixtureRequest) -> Viewport:
    """Each browser test runs at 1280 px (desktop) and 390 px (phone)."""
    viewport: Viewport = request.param
    return viewport


@dataclass(frozen=True)
class Site:
    """The seeded live site and a reader who can log in."""

    origin: str
    username: str
    password: str


@pytest.fixture
def site(live_server: LiveServer, transactional_db: None) -> Site:
    """Seed the database the live server reads, and create a reader account."""
    call_command("seed", books=SEED_BOOKS, seed=1, verbosity=0)
    username, password = READER
    User.objects.create_user(username=username, password=password)
    return Site(origin=live_server.url, username=username, password=password)


@pytest.fixture
def tab(chrome: webdriver.Chrome, site: Site, viewport: Viewport) -> Iterator[Tab]:
    """A fresh tab state (no cookies) at ``viewport`` on the seeded site."""
    chrome.delete_all_cookies()
    tab = Tab(driver=chrome, origin=site.origin, viewport=viewport)
    tab.resize()
    yield tab
    chrome.delete_all_cookies()
