"""``manage.py plans`` lists every registered plan with its budget and SQL."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
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
    # Derived plans (with_strategy) made by other tests may still be alive and match too.
    assert all("'writer card" in entry["plan"] for entry in data)
    (card,) = [entry for entry in data if entry["plan"] == plans.WRITER_CARD.label]
    assert card["budget"] == plans.WRITER_CARD.budget() == len(card["statements"])
    assert card["model"] == "Writer"
    assert card["dto"] == "WriterCard"
    assert card["strategy"] == "values"
