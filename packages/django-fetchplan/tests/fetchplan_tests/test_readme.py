"""The library's README stays true: its project code is the acceptance test's project (which
runs it), and its reference lists every public name, setting and link that exists.

The outputs it shows (the service's result, the NotLoaded error, ``manage.py check``) are
asserted by the acceptance test, which runs that project from the built wheel.
"""

import re

import fetchplan
import pytest
from acceptance import harness, readme

SOURCES = harness.LIBRARY / "src" / "fetchplan"
PROJECT_FILES = ["clinic/dtos.py", "clinic/repos.py", "clinic/services.py"]


@pytest.mark.parametrize("path", PROJECT_FILES)
def test_each_project_snippet_is_the_acceptance_projects_code(path: str) -> None:
    snippet = readme.blocks()[path]
    assert snippet.strip() in (harness.PROJECT_FILES / path).read_text()


def test_the_settings_snippet_is_what_the_acceptance_project_adds() -> None:
    snippet = readme.blocks()["settings"].strip()
    assert snippet in harness.SETTINGS_TAIL.splitlines()


def test_the_outputs_the_acceptance_test_checks_are_there() -> None:
    assert {"output", "check"} <= set(readme.blocks())


@pytest.mark.parametrize("name", sorted(fetchplan.__all__))
def test_every_public_name_is_in_the_reference(name: str) -> None:
    assert f"`{name}" in readme.README.read_text()


def test_the_settings_table_lists_exactly_the_settings_the_library_reads() -> None:
    read = {
        setting
        for path in SOURCES.rglob("*.py")
        for setting in re.findall(r'getattr\(settings, "(FETCHPLAN_\w+)"', path.read_text())
    }
    section = readme.README.read_text().split("### Settings")[1].split("###")[0]
    listed = set(re.findall(r"^\| `(FETCHPLAN_\w+)`", section, re.MULTILINE))
    assert read
    assert listed == read


def test_relative_links_lead_to_existing_files() -> None:
    text = readme.README.read_text()
    links = re.findall(r"\]\(((?!https?:)[^)#]+)\)", text)
    assert links
    for link in links:
        assert (readme.README.parent / link).exists(), link
