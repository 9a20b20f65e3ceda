"""Query counts are invariants: the budget, exactly, whatever the number of parents."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fetchplan import Plan, Strategy, fetch_all, stream
from fetchplan.plan.registry import all_plans

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library

pytestmark = pytest.mark.django_db

TEST_PLANS = [
    plan for plan in all_plans() if plan.model.__module__ == "fetchplan_tests.testapp.models"
]


def queries_for(plan: Plan[Any, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fetch_all(plan, plan.model._default_manager.all())
    return len(captured)


def test_there_are_test_plans_to_check() -> None:
    assert len(TEST_PLANS) >= 10


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_plan_runs_exactly_its_budget(strategy: Strategy) -> None:
    make_library(writers=30)
    for plan in TEST_PLANS:
        variant = plan.with_strategy(strategy)
        assert queries_for(variant) == variant.budget(), variant.label


@pytest.mark.parametrize("strategy", list(Strategy))
def test_query_count_is_the_same_for_10_and_1000_parents(strategy: Strategy) -> None:
    make_library(writers=10, seed=1)
    small = {plan.name: queries_for(plan.with_strategy(strategy)) for plan in TEST_PLANS}
    make_library(writers=990, seed=2)
    from fetchplan_tests.testapp.models import Writer

    assert Writer.objects.count() == 1000
    large = {plan.name: queries_for(plan.with_strategy(strategy)) for plan in TEST_PLANS}
    assert small == large


def test_streaming_runs_the_budget_per_chunk() -> None:
    make_library(writers=25, novels_per_writer=2)  # 50 novels
    with CaptureQueriesContext(connection) as captured:
        novels = list(stream(plans.NOVEL, plans.NOVEL.model.objects.order_by("pk"), chunk_size=20))
    assert len(novels) == 50
    # 1 root query (a cursor read in chunks) + 2 to-many queries for each of 3 chunks; on
    # MySQL/MariaDB, which buffer whole results, one root query per chunk (keyset chunks).
    root = 3 if connection.vendor == "mysql" else 1
    assert len(captured) == root + 3 * (plans.NOVEL.budget() - 1)
