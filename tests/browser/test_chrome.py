"""Without a browser the browser tests skip, or fail under REQUIRE_BROWSER=1 (as in CI)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.chrome import Binaries, find_binaries

ROOT = Path(__file__).resolve().parents[2]


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


def run_without_browser(*, require: bool) -> subprocess.CompletedProcess[str]:
    """Run one browser test in a child pytest that cannot find Chromium."""
    env = {
        **os.environ,
        "CHROMIUM": "/nonexistent/chromium",
        "DATABASE_URL": "sqlite:///:memory:",  # never the parent's PostgreSQL test database
        "REQUIRE_BROWSER": "1" if require else "0",
    }
    test = "tests/browser/test_pages.py::test_sort_menu_reads_as_words[desktop]"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_no_browser_skips_with_a_message_or_fails_when_required() -> None:
    skipped = run_without_browser(require=False)
    assert skipped.returncode == 0, skipped.stdout[-2000:]
    assert "Browser tests skipped: no Chromium" in skipped.stdout
    assert "apt-get install chromium chromium-driver" in skipped.stdout
    failed = run_without_browser(require=True)
    assert failed.returncode == 1, failed.stdout[-2000:]
    assert "REQUIRE_BROWSER=1 makes this a failure" in failed.stdout
