"""The README and docs/ point only at files that exist, and at headings that exist.

A newcomer follows these links and paths first; a file that moved (or never was in the
repository) must fail here, not in their hands.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
# A repository path in inline code: has a slash, no spaces, no placeholders (`repos/<entity>.py`),
# optionally a line number (`repos/books.py:74`). URL paths (`/api/books`) start with a slash.
REPO_PATH = re.compile(r"(?P<path>[\w.][\w.\-/]*/[\w.\-/]*)(?::\d+)?")
# Made by commands, so absent from a fresh clone; the pages say when they appear.
GENERATED = {".venv/", ".venv/bin/python", "bench/.data/", "packages/django-fetchplan/.cache/"}
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)


def _prose(page: Path) -> str:
    return CODE_BLOCK.sub("", page.read_text())


def _anchor(heading: str) -> str:
    """Return GitHub's anchor for a Markdown heading: lower case, punctuation dropped."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_anchor(heading) for heading in HEADING.findall(_prose(page))}


def _links(page: Path) -> list[str]:
    return [
        target
        for target in LINK.findall(_prose(page))
        if not re.match(r"[a-z]+:", target)  # http:, https:, mailto:
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_points_at_a_file_that_exists(page: Path) -> None:
    missing = []
    for target in _links(page):
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            missing.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            missing.append(f"{target} (no such heading)")
    assert not missing, f"{page.name} links to what is not there: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_repository_path_in_the_text_exists(page: Path) -> None:
    missing = []
    for span in CODE_SPAN.findall(_prose(page)):
        match = REPO_PATH.fullmatch(span)
        if match and match["path"] not in GENERATED and not (ROOT / match["path"]).exists():
            missing.append(span)
    assert not missing, f"{page.name} names paths that are not in the repository: {missing}"


def test_the_checks_find_what_they_look_for() -> None:
    assert _anchor("Running `manage.py` yourself") == "running-managepy-yourself"
    assert _links(ROOT / "README.md"), "no relative link found: the pattern is wrong"
    spans = [s for page in PAGES for s in CODE_SPAN.findall(_prose(page))]
    assert any(REPO_PATH.fullmatch(span) for span in spans), "no path found: the pattern is wrong"


@pytest.mark.django_db
def test_the_plans_sample_is_real_output() -> None:
    """docs/observability.md shows `plans --name BookDetail` as real SQLite output."""
    if connection.vendor != "sqlite":
        pytest.skip("the sample is SQLite's SQL")
    page = (ROOT / "docs" / "observability.md").read_text()
    sample = re.search(r"\$ python manage.py plans --name BookDetail\n(.*?)```", page, re.DOTALL)
    assert sample is not None, "docs/observability.md lost its plans sample"
    out = io.StringIO()
    call_command("plans", name="BookDetail", stdout=out)
    assert sample[1].strip() == out.getvalue().strip()
