"""``manage.py plans`` lists every registered plan with its budget and SQL."""

import json
import re
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from fetchplan.management.commands.plans import PRETTY_NEEDS_SQLPARSE
from fetchplan.plan.registry import all_plans

from fetchplan_tests.testapp import plans

# explain() runs no query, but compiling SQL and reading the backend's limits opens a connection.
pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("plans", *args, stdout=out)
    return out.getvalue()


def test_lists_every_plan_as_text() -> None:
    text = run()
    for plan in all_plans():
        assert f"plan {plan.label}" in text
    assert f"{len(all_plans())} plan(s)." in text
    assert "budget: 4 queries per fetch" in text
    assert "SELECT" in text


def test_json_output_and_filter() -> None:
    data = json.loads(run("--json", "--name", "writer card"))
    # Plans derived at import time (e.g. a module-level with_strategy()) may match too.
    assert all("'writer card" in entry["plan"] for entry in data)
    (card,) = [entry for entry in data if entry["plan"] == plans.WRITER_CARD.label]
    assert card["budget"] == plans.WRITER_CARD.budget() == len(card["statements"])
    assert card["model"] == "Writer"
    assert card["dto"] == "WriterCard"
    assert card["strategy"] == "values"


def test_pretty_lays_each_statement_out_over_indented_lines() -> None:
    plain, pretty = run("--name", "writer card"), run("--name", "writer card", "--pretty")
    longest = max(len(line) for line in plain.splitlines())
    assert longest > 150  # one statement per line
    assert max(len(line) for line in pretty.splitlines()) < longest
    statement_lines = [line for line in pretty.splitlines() if line.startswith("     ")]
    assert any(line.strip().startswith("FROM ") for line in statement_lines)
    assert all(line.startswith("     ") for line in statement_lines)
    assert "budget: 4 queries per fetch" in pretty


def test_pretty_without_sqlparse_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlparse", None)  # makes `import sqlparse` fail
    with pytest.raises(CommandError, match=re.escape(PRETTY_NEEDS_SQLPARSE)):
        run("--pretty")
    assert "plan(s)." in run()  # the plain listing does not need it
