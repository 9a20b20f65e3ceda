"""Acceptance: the library's wheel, installed into a clean virtualenv with only Django and
pydantic, works in a Django project that is not the bookstore.

For each supported Django (5.2 LTS on one Python, 6.1 on another) a new project is generated
in a temporary folder (``startproject``, ``startapp clinic``, three models, a ``repos.py``,
``fetchplan`` in ``INSTALLED_APPS``, migrations), then ``scenarios.py`` runs in it and prints
JSON, on SQLite and, when it answers, on PostgreSQL. Run with ``make test-acceptance``.
"""

import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from acceptance import harness, readme
from acceptance.harness import Target

pytestmark = pytest.mark.slow

TARGETS = [
    Target("5.2.17", os.environ.get("FETCHPLAN_ACCEPTANCE_PYTHON_DJANGO52", sys.executable)),
    Target("6.1.3", os.environ.get("FETCHPLAN_ACCEPTANCE_PYTHON_DJANGO61", sys.executable)),
]
DATABASES = ["sqlite", "postgresql"]
CHECKOUT_ID = os.environ.get(
    "CHECKOUT_ID", hashlib.sha256(str(harness.LIBRARY).encode()).hexdigest()[:8]
)
# What a virtualenv with Django, pydantic and the wheel holds (with their own dependencies).
ALLOWED = {
    "pip",
    "django",
    "asgiref",
    "sqlparse",
    "pydantic",
    "pydantic-core",
    "annotated-types",
    "typing-extensions",
    "typing-inspection",
    "django-fetchplan",
}
POSTGRES_DRIVER = {"psycopg", "psycopg-binary"}
REPOS_LINE = "return fetch_all(PET_CARD"  # the line of project code that runs both queries
EXPECTED_PETS = [
    {"id": 3, "name": "Bella", "species": "dog", "owner_name": "Ann", "visits": []},
    {
        "id": 1,
        "name": "Rex",
        "species": "dog",
        "owner_name": "Ann",
        "visits": [
            {"day": "2024-01-05", "reason": "check-up"},
            {"day": "2024-03-02", "reason": "vaccine"},
        ],
    },
    {
        "id": 2,
        "name": "Tom",
        "species": "cat",
        "owner_name": "Bob",
        "visits": [{"day": "2024-02-01", "reason": "claws"}],
    },
]


@dataclass(frozen=True)
class Installed:
    """A Django version's virtualenv and the project generated with it."""

    target: Target
    python: Path
    project: Path


@dataclass(frozen=True)
class Outcome:
    """What ``scenarios.py`` printed for one Django version and one database."""

    installed: Installed
    database: str
    data: dict[str, Any]


@pytest.fixture(scope="module")
def installs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Installed]:
    """Build the wheel (or reuse it), a virtualenv and a new project per Django version."""
    key = harness.source_hash()
    wheel = harness.build_wheel(key)
    built = {}
    for target in TARGETS:
        python = harness.virtualenv(target, wheel, key)
        project = harness.create_project(python, tmp_path_factory.mktemp(target.name))
        built[target.name] = Installed(target, python, project)
    return built


def postgres_database(name: str, *, create: bool) -> bool:
    """Drop database ``name`` on the local PostgreSQL, then create it again when ``create``;
    return False if the server is down."""
    psycopg = pytest.importorskip("psycopg")
    from psycopg import sql

    identifier = sql.Identifier(name)
    try:
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3
        ) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(identifier))
            if create:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    except psycopg.OperationalError:
        return False
    return True


@pytest.fixture(
    scope="module",
    params=[(t.name, db) for t in TARGETS for db in DATABASES],
    ids=lambda param: "-".join(param),
)
def outcome(request: pytest.FixtureRequest, installs: dict[str, Installed]) -> Outcome:
    """Migrate the project's database and run ``scenarios.py`` in it."""
    name, database = request.param
    installed = installs[name]
    if database == "sqlite":
        env = harness.project_env(postgres_db=None, driver=None)
        return Outcome(installed, database, _run_scenarios(installed, env))
    db_name = f"fetchplan_accept_{name}_{CHECKOUT_ID}"
    if not postgres_database(db_name, create=True):
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL at 127.0.0.1:5432 is unreachable and REQUIRE_POSTGRES=1")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is unreachable")
    driver = harness.postgres_driver(installed.python)
    env = harness.project_env(postgres_db=db_name, driver=driver)
    try:
        return Outcome(installed, database, _run_scenarios(installed, env))
    finally:
        postgres_database(db_name, create=False)


def _run_scenarios(installed: Installed, env: dict[str, str]) -> dict[str, Any]:
    """Migrate the project's database, run ``scenarios.py``, return the JSON it printed."""
    project = installed.project
    harness.run(installed.python, "manage.py", "migrate", "--no-input", cwd=project, env=env)
    output = harness.run(installed.python, "scenarios.py", cwd=project, env=env)
    data: dict[str, Any] = json.loads(output)
    return data


def test_the_virtualenv_holds_only_django_pydantic_and_the_wheel(outcome: Outcome) -> None:
    environment = outcome.data["environment"]
    target = outcome.installed.target
    assert environment["django"] == target.django
    venv = outcome.installed.python.parent.parent
    assert Path(environment["fetchplan_file"]).is_relative_to(venv / "lib")
    assert "site-packages" in Path(environment["fetchplan_file"]).parts
    distributions = set(environment["distributions"])
    allowed = ALLOWED | (POSTGRES_DRIVER if outcome.database == "postgresql" else set())
    assert {"django", "pydantic", "django-fetchplan"} <= distributions
    assert distributions <= allowed, distributions - allowed
    assert not environment["django_stubs_ext_imported"]


def test_a_correct_plan_returns_the_right_dtos_within_its_budget(outcome: Outcome) -> None:
    result = outcome.data["correct_plan"]
    assert result["pets"] == EXPECTED_PETS
    assert result["owner_loaded"] == [False, False, False]  # NotLoaded, left out by the plan
    assert result["budget"] == 2
    assert result["queries"] == result["budget"]


def test_the_recorder_names_the_project_line_of_each_query(outcome: Outcome) -> None:
    repos = outcome.installed.project / "clinic" / "repos.py"
    line = next(
        number
        for number, text in enumerate(repos.read_text().splitlines(), start=1)
        if REPOS_LINE in text
    )
    sites = outcome.data["correct_plan"]["call_sites"]
    assert len(sites) == 2
    for filename, lineno, function in sites:
        assert Path(filename).resolve() == repos.resolve()
        assert (lineno, function) == (line, "list_pets")


def test_a_wrongly_typed_plan_in_a_function_raises_at_its_first_fetch(outcome: Outcome) -> None:
    result = outcome.data["wrong_plan_in_a_function"]
    assert "returned" not in result, f"DTOs were built: {result.get('returned')}"
    assert result["raised"] == "PlanError"
    reports = outcome.installed.project / "clinic" / "reports.py"
    line = next(
        number
        for number, text in enumerate(reports.read_text().splitlines(), start=1)
        if "plan = Plan(Pet, WrongPetCard" in text
    )
    assert f"'wrong pet card (in a function)' (clinic/reports.py:{line})" in result["message"]
    assert "fetchplan.E003 WrongPetCard.name" in result["message"]


def test_the_readme_shows_what_the_service_and_not_loaded_do(outcome: Outcome) -> None:
    result = outcome.data["correct_plan"]
    shown = readme.blocks()["output"].splitlines()
    assert repr(result["last_seen"]) in shown
    assert f"fetchplan.dto.RelationNotLoaded: {result['not_loaded']}" in shown


@pytest.mark.parametrize("name", [t.name for t in TARGETS])
def test_module_level_plans_in_repos_are_reported_by_check(
    name: str, installs: dict[str, Installed], tmp_path: Path
) -> None:
    installed = installs[name]
    env = harness.project_env(postgres_db=None, driver=None)
    clean = harness.manage(installed.python, installed.project, "check", env=env)
    assert clean.returncode == 0, clean.stderr
    assert "System check identified no issues" in clean.stdout

    broken = tmp_path / "project"
    shutil.copytree(installed.project, broken)
    harness.break_module_level_plans(broken)
    line = next(
        number
        for number, text in enumerate((broken / "clinic" / "repos.py").read_text().splitlines(), 1)
        if text.startswith("WRONG_PET_CARD = ")
    )
    result = harness.manage(installed.python, broken, "check", env=env)
    assert result.returncode == 1
    reported = result.stderr.splitlines()
    # The wrongly typed plan of reports.py, declared at module level in repos.py:
    assert any(
        text.startswith(f"'wrong pet card' (clinic/repos.py:{line}): (fetchplan.E003) ")
        and "WrongPetCard.name" in text
        for text in reported
    ), result.stderr
    # The typo the README shows, with the output it shows:
    shown = readme.blocks()["check"].splitlines()
    assert shown[0] == "$ python manage.py check"
    for text in shown[1:]:
        assert text in reported, (text, result.stderr)
