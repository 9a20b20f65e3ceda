"""`make demo`: its variables do what docs/configuration.md says."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATION = ROOT / "docs" / "configuration.md"


def demo_commands(*variables: str) -> str:
    """Return the commands `make demo` would run (``make -n``: nothing runs)."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        [make, "-n", "demo", *variables], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_demo_listens_on_demo_addr() -> None:
    assert "manage.py runserver 127.0.0.1:8000\n" in demo_commands()
    custom = demo_commands("DEMO_ADDR=127.0.0.1:8765", "DEMO_BOOKS=50", "DEMO_DB=sqlite:///x.db")
    assert "manage.py runserver 127.0.0.1:8765\n" in custom
    assert "DATABASE_URL=sqlite:///x.db DEBUG=1" in custom
    assert "seed --books 50 --if-empty" in custom
    assert "manage.py demo_reader" in custom


def test_demo_variables_are_documented() -> None:
    text = CONFIGURATION.read_text()
    for variable in ("DEMO_ADDR", "DEMO_BOOKS", "DEMO_DB", "REQUIRE_BROWSER"):
        assert f"`{variable}`" in text, variable
