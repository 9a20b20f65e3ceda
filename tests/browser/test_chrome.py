"""Without a browser the browser tests skip, or fail under REQUIRE_BROWSER=1 (as in CI)."""

from pathlib import Path

import pytest

from tests.browser.chrome import Binaries, binaries_or_skip, find_binaries


def test_a_missing_browser_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    found = find_binaries()
    assert isinstance(found, str)
    assert "no Chromium" in found


def test_binaries_can_be_pointed_at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("my-chromium", "my-driver"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "my-chromium"))
    monkeypatch.setenv("CHROMEDRIVER", str(tmp_path / "my-driver"))
    assert find_binaries() == Binaries(
        browser=str(tmp_path / "my-chromium"), driver=str(tmp_path / "my-driver")
    )


def test_no_browser_skips_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium chromium-driver"):
        binaries_or_skip()


def test_no_browser_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_BROWSER=1 makes this a failure"):
        binaries_or_skip()
