"""Start the system's headless Chromium under Selenium, or say why it cannot be started.

The browser is Debian's ``chromium`` driven by its ``chromium-driver`` (``chromedriver``):
nothing is downloaded (Selenium Manager is never asked, both paths are given), and the flags
keep Chromium from calling home on a machine without a network.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=PasswordLeakDetection,Translate,OptimizationHints,MediaRouter",
    "--window-size=1280,900",
)
NO_BROWSER = (
    "Browser tests skipped: {reason}. Install Debian's chromium and chromium-driver "
    "(apt-get install chromium chromium-driver); REQUIRE_BROWSER=1 makes this a failure."
)


@dataclass(frozen=True)
class Binaries:
    """Where the browser and its driver are."""

    browser: str
    driver: str


def _find(variable: str, names: tuple[str, ...]) -> str | None:
    """Return ``$variable`` if set (an executable path or name), else the first of ``names``."""
    chosen = os.environ.get(variable)
    if chosen:
        return shutil.which(chosen)
    return next(filter(None, map(shutil.which, names)), None)


def find_binaries() -> Binaries | str:
    """Return the browser and driver paths, or the reason they cannot be used."""
    browser = _find("CHROMIUM", BROWSERS)
    driver = _find("CHROMEDRIVER", DRIVERS)
    if browser is None:
        return f"no Chromium (looked for $CHROMIUM, then {', '.join(BROWSERS)} on PATH)"
    if driver is None:
        return "no chromedriver (looked for $CHROMEDRIVER, then chromedriver on PATH)"
    return Binaries(browser=browser, driver=driver)


def binaries_or_skip() -> Binaries:
    """Return the binaries; skip the test without them, or fail it under REQUIRE_BROWSER=1."""
    found = find_binaries()
    if isinstance(found, Binaries):
        return found
    message = NO_BROWSER.format(reason=found)
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def start_chrome(binaries: Binaries, *, profile: Path | None = None) -> webdriver.Chrome:
    """Start headless Chromium with a fresh profile, recording its console and network logs."""
    options = webdriver.ChromeOptions()
    options.binary_location = binaries.browser
    for flag in FLAGS:
        options.add_argument(flag)
    user_data = profile or Path(tempfile.mkdtemp(prefix="bookstore-chromium-"))
    options.add_argument(f"--user-data-dir={user_data}")
    # No password manager: it would offer to save the test reader's password.
    options.add_experimental_option(
        "prefs", {"credentials_enable_service": False, "profile.password_manager_enabled": False}
    )
    # "browser": console messages and page errors; "performance": DevTools network events.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=binaries.driver))
