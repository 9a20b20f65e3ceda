"""Few parents go by ids, many by a subquery of the parent queryset: same DTOs, same budget.

A filtered, unsliced parent queryset can select its children's parents by subquery; when it
returned at most ``querysets.FEW_PARENTS`` rows, their ids are sent instead (the database then
reads the children through the parent key's index). ``FEW_PARENTS = 0`` forces the subquery.
"""

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from fetchplan import Plan, fetch_all
from fetchplan.plan import querysets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fetchplan_tests.plan.test_equivalence import WriterSpec, build, writer_st
from fetchplan_tests.testapp import plans

pytestmark = pytest.mark.django_db

TEST_PLANS = [plan for plan in vars(plans).values() if isinstance(plan, Plan)]


def run(plan: Plan[Any, Any], queryset: Any, *, few: int) -> tuple[list[Any], list[str]]:
    """Return the DTOs and the statements of ``fetch_all`` with ``FEW_PARENTS = few``."""
    saved = querysets.FEW_PARENTS
    querysets.FEW_PARENTS = few
    try:
        with CaptureQueriesContext(connection) as captured:
            dtos = fetch_all(plan, queryset)
    finally:
        querysets.FEW_PARENTS = saved
    return dtos, [query["sql"] for query in captured.captured_queries]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=5), st.integers(0, 3))
def test_ids_and_subquery_give_equal_dtos(writers: list[WriterSpec], offset: int) -> None:
    """Catches: a parent lost or added when ids replace the subquery (a row with a NULL
    key, a repeated parent), children of rows the filter excludes, and a budget broken by it.
    """
    with transaction.atomic():
        build(writers)
        for plan in TEST_PLANS:
            manager = plan.model._default_manager
            first = manager.order_by("pk").values_list("pk", flat=True).first() or 0
            queryset = manager.filter(pk__gte=first + offset).order_by("pk")
            by_ids, ids_sql = run(plan, queryset, few=querysets.FEW_PARENTS)
            by_subquery, subquery_sql = run(plan, queryset, few=0)
            assert by_ids == by_subquery, plan.label
            assert len(ids_sql) == len(subquery_sql) <= plan.budget()
            if by_ids and plan.budget() > 1:  # some level below the root took the ids
                assert ids_sql != subquery_sql, plan.label
                assert all("IN (SELECT" not in sql for sql in ids_sql[1:]), plan.label
        transaction.set_rollback(True)
