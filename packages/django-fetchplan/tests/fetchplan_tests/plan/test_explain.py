"""explain(): the statements a plan runs, without running them, matching what runs."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fetchplan import Plan, Strategy, fetch_all
from fetchplan.plan import querysets
from fetchplan.plan.explain import explain
from fetchplan.plan.registry import all_plans

from fetchplan_tests.compat import qn
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db

TEST_PLANS = [
    plan for plan in all_plans() if plan.model.__module__ == "fetchplan_tests.testapp.models"
]


def shape(sql: str) -> str:
    """Normalise literals and IN-lists, so explained and executed SQL can be compared.

    PostgreSQL's parent ids are one array literal (``= ANY('{1,2}'::int2[])``).
    """
    sql = sql.replace("%s", "?")
    sql = re.sub(r"'(?:[^']|'')*'(::\w+(\[\])?)?", "?", sql)
    sql = re.sub(r"(?<![\w\"])-?\d+(\.\d+)?(?![\w\"])", "?", sql)
    return re.sub(r"IN \(\?(, \?)*\)", "IN (?)", sql)


def test_explain_runs_no_query() -> None:
    with CaptureQueriesContext(connection) as captured:
        for plan in TEST_PLANS:
            explain(plan)
            explain(plan.with_strategy("instances"))
    assert len(captured) == 0


@pytest.mark.parametrize("few", [True, False], ids=["few-parents", "many-parents"])
@pytest.mark.parametrize("strategy", list(Strategy))
def test_explained_statements_are_the_ones_that_run(
    strategy: Strategy, few: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every statement is compared, whole (literals and id lists normalised).

    A level whose parents a subquery selects takes their ids when they are few (here: always,
    unless ``FEW_PARENTS`` is 0, as for a large listing): ``few_parents_sql`` then runs.

    Catches: an explanation that drops a child plan's joins or annotations, a filter, the
    per-parent window of a limit, or a many-to-many's extra column; one that lists a statement
    too many or too few; (values strategy) statements in another order than they run; and
    a subquery shown where ids run, or ids where the subquery runs.
    """
    if not few:
        monkeypatch.setattr(querysets, "FEW_PARENTS", 0)
    make_library(writers=12)
    for base in TEST_PLANS:
        plan: Plan[Any, Any] = base.with_strategy(strategy)
        manager = plan.model._default_manager
        for queryset in (
            manager.all(),
            manager.order_by("pk")[:5],
            manager.filter(pk__gte=manager.order_by("pk").values_list("pk", flat=True)[2]),
        ):
            explanation = explain(plan, queryset)
            assert len(explanation.statements) == plan.budget() == explanation.budget
            explained = [
                shape((few and statement.few_parents_sql) or statement.sql)
                for statement in explanation.statements
            ]
            for _ in range(2):  # the first run compiles its statements, the second reuses them
                with CaptureQueriesContext(connection) as captured:
                    fetch_all(plan, queryset)
                executed = [shape(query["sql"]) for query in captured.captured_queries]
                if strategy is Strategy.VALUES:
                    assert executed == explained, plan.label
                else:  # Prefetch runs the levels in its own order: the same statements
                    assert executed[0] == explained[0], plan.label
                    assert sorted(executed) == sorted(explained), plan.label


def test_explanation_text_and_json() -> None:
    explanation = explain(plans.WRITER_CARD)
    text = str(explanation)
    assert text.startswith("plan 'writer card'")
    assert "budget: 4 queries per fetch" in text
    assert "Novel rows for novels, at most 2 per parent" in text
    data = explanation.as_dict()
    assert data["budget"] == 4
    assert len(data["statements"]) == 4
    # All rows of the table: children need no parent filter, only a non-null parent.
    assert f"{qn('testapp_novel')}.{qn('writer_id')} IS NOT NULL" in data["statements"][1]["sql"]
    assert "parents by subquery (or all)" in data["statements"][1]["purpose"]
    # A filtered, unsliced queryset: children select their parents with a subquery.
    filtered = explain(plans.WRITER_CARD, Writer.objects.filter(born__gte=1900))
    assert "IN (SELECT" in filtered.statements[1].sql
    # A page (sliced) or a stream chunk: children are fetched by a list of parent ids.
    for explained in (
        explain(plans.WRITER_CARD, Writer.objects.all()[:20]),
        explain(plans.WRITER_CARD, streaming=True),
    ):
        # PostgreSQL: one array parameter (querysets.AnyOf); elsewhere a placeholder per id.
        by_ids = "= ANY(%s)" if connection.vendor == "postgresql" else "IN (%s)"
        assert by_ids in explained.statements[1].sql
        assert "by parent ids" in explained.statements[1].purpose
