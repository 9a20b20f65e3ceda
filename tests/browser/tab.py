"""A browser tab on the live site that checks every page it lands on.

After each navigation ``Tab`` asserts what a reader would notice: the page fits the viewport
(no horizontal scrolling), the console has no error, no request left the site, and the page
declares a viewport (without one a phone lays the page out 980 px wide and shrinks it). It
saves a screenshot of each named page under ``SCREENSHOTS/<viewport>/``.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

SCREENSHOTS = Path(
    os.environ.get("BROWSER_SCREENSHOTS", Path(__file__).resolve().parent / "screenshots")
)
NETWORK_SCHEMES = {"http", "https", "ws", "wss"}
WAIT_SECONDS = 10


@dataclass(frozen=True)
class Viewport:
    """A screen size; ``mobile`` emulates a phone (touch, viewport meta honoured)."""

    name: str
    width: int
    height: int
    mobile: bool


DESKTOP = Viewport("desktop", 1280, 900, mobile=False)
PHONE = Viewport("phone", 390, 844, mobile=True)


@dataclass
class Tab:
    """The one browser, pointed at the live site ``origin`` in one ``viewport``."""

    driver: webdriver.Chrome
    origin: str
    viewport: Viewport
    visited: list[str] = field(default_factory=list)

    def resize(self) -> None:
        """Make the browser's viewport this tab's size (DevTools device emulation)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.viewport.width,
                "height": self.viewport.height,
                "deviceScaleFactor": 1,
                "mobile": self.viewport.mobile,
            },
        )
        self.drain_logs()

    # -- navigation ----------------------------------------------------------------------------

    def open(self, path: str, *, name: str, not_found: bool = False) -> None:
        """Load ``path`` and check the page (a 404 page when ``not_found``)."""
        self.driver.get(self.origin + path)
        self.check(name, not_found=not_found)

    def click(self, element: WebElement, *, name: str) -> None:
        """Click ``element`` (a link or a submit button), wait for the next page, check it."""
        element.click()
        # While the old document is torn down, Chromium may answer "Node with given id does
        # not belong to the document" instead of "stale element": poll again on it.
        WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(
            expected_conditions.staleness_of(element)
        )
        self.check(name)

    def find(self, css: str) -> WebElement:
        """Return the first element matching ``css`` (fails the test when there is none)."""
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[WebElement]:
        """Return every element matching ``css``."""
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def texts(self, css: str) -> list[str]:
        """Return the text of every element matching ``css``."""
        return [element.text for element in self.find_all(css)]

    def path(self) -> str:
        """Return the current URL without the origin."""
        return self.driver.current_url.removeprefix(self.origin)

    # -- checks --------------------------------------------------------------------------------

    def check(self, name: str, *, not_found: bool = False) -> None:
        """Assert the page fits, logged no error and asked only the site; save a screenshot."""
        page = self.path()
        self.visited.append(page)
        scroll, inner = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
        # A phone shrinks a too-wide page to fit (innerWidth grows): that is overflow too.
        assert inner == self.viewport.width, f"{page}: zoomed out to {inner} px"
        assert scroll <= inner, f"{page}: {scroll} px wide in a {inner} px viewport"
        assert self.driver.execute_script(
            "return document.querySelector('meta[name=viewport]') !== null"
        ), f"{page}: no viewport meta tag"
        errors = [
            entry["message"]
            for entry in self.log("browser")
            if entry["level"] == "SEVERE" and not (not_found and _is_own_404(entry, page))
        ]
        assert not errors, f"{page}: console errors {errors}"
        foreign = [url for url in self.requested_urls() if not self._is_own(url)]
        assert not foreign, f"{page}: requests to other hosts {foreign}"
        self.screenshot(name)

    def requested_urls(self) -> list[str]:
        """Return the URLs requested since the last call (DevTools network events)."""
        urls = []
        for entry in self.log("performance"):
            message: dict[str, Any] = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
            elif message["method"] == "Network.webSocketCreated":
                urls.append(message["params"]["url"])
        return urls

    def log(self, kind: str) -> list[dict[str, Any]]:
        """Return the entries of log ``kind`` ("browser", "performance") since the last read."""
        entries: list[dict[str, Any]] = self.driver.get_log(kind)  # type: ignore[no-untyped-call]  # selenium leaves get_log unannotated
        return entries

    def drain_logs(self) -> None:
        """Forget the logs so far (e.g. after resizing)."""
        self.log("browser")
        self.log("performance")

    def screenshot(self, name: str) -> Path:
        """Save the visible page as ``SCREENSHOTS/<viewport>/<name>.png``; return the path."""
        target = SCREENSHOTS / self.viewport.name / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(target))
        return target

    def _is_own(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in NETWORK_SCHEMES:
            return True  # data:, blob:, about: load nothing from a host
        return parts.netloc == urlsplit(self.origin).netloc


def _is_own_404(entry: dict[str, Any], page: str) -> bool:
    """True for the console line Chromium writes about the 404 page's own status."""
    message = str(entry["message"])
    return page.split("?")[0] in message and "status of 404" in message
