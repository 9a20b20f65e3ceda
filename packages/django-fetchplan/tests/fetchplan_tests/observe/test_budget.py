"""@query_budget holds a function to its declared query count; the mode decides what happens."""

import logging

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from fetchplan.observe import conf
from fetchplan.observe.budget import (
    BUDGET_EXCEEDED,
    INVALID_BUDGET,
    HasBudget,
    QueryBudgetExceeded,
    QueryBudgetWarning,
    query_budget,
)
from fetchplan.observe.conf import INVALID_BUDGET_MODE

from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db


@query_budget(1)
def count_writers(*, twice: bool = False) -> int:
    """Run one query, or two when asked: over budget."""
    if twice:
        Writer.objects.count()
    return Writer.objects.count()


class FakePlan:
    """Stands in for a fetch plan: anything with ``budget() -> int``."""

    def __init__(self, budget: int) -> None:
        self.queries = budget

    def budget(self) -> int:
        return self.queries


def test_within_budget_returns_the_result() -> None:
    assert count_writers() == 0


def test_over_budget_raises_under_tests_by_default() -> None:
    assert conf.budget_mode() == "raise"
    with pytest.raises(QueryBudgetExceeded) as caught:
        count_writers(twice=True)
    first_line = str(caught.value).splitlines()[0]
    assert first_line == BUDGET_EXCEEDED.format(function="count_writers", count=2, budget=1)
    assert "test_budget.py:" in str(caught.value)  # the report table names the lines


@override_settings(FETCHPLAN_QUERY_BUDGET_MODE="warn")
def test_warn_mode_warns_at_the_caller() -> None:
    with pytest.warns(QueryBudgetWarning, match="over its budget of 1") as caught:
        assert count_writers(twice=True) == 0
    assert caught[0].filename == __file__


@override_settings(FETCHPLAN_QUERY_BUDGET_MODE="log")
def test_log_mode_logs_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="fetchplan.observe.budget"):
        assert count_writers(twice=True) == 0
    assert [r.getMessage() for r in caplog.records] == [
        BUDGET_EXCEEDED.format(function="count_writers", count=2, budget=1)
    ]


@override_settings(DEBUG=False)
def test_production_default_is_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conf, "under_tests", lambda: False)
    assert conf.budget_mode() == "log"
    with override_settings(DEBUG=True):
        assert conf.budget_mode() == "raise"


@override_settings(FETCHPLAN_QUERY_BUDGET_MODE="loud")
def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        count_writers()
    assert str(caught.value) == INVALID_BUDGET_MODE.format(
        choices=("raise", "warn", "log"), value="loud"
    )


def test_budget_from_an_object_with_a_budget_method_is_read_at_each_call() -> None:
    plan = FakePlan(0)
    assert isinstance(plan, HasBudget)

    @query_budget(plan)
    def run() -> int:
        return Writer.objects.count()

    with pytest.raises(QueryBudgetExceeded, match="over its budget of 0"):
        run()
    plan.queries = 1
    assert run() == 0


def test_invalid_budgets_are_refused() -> None:
    with pytest.raises(TypeError) as caught:
        query_budget(-1)
    assert str(caught.value) == INVALID_BUDGET.format(value=-1)

    @query_budget(FakePlan(-2))
    def run() -> None:
        pass

    with pytest.raises(TypeError, match="int >= 0"):
        run()


def test_an_exception_from_the_function_wins() -> None:
    @query_budget(0)
    def fail() -> None:
        Writer.objects.count()
        raise KeyError("boom")

    with pytest.raises(KeyError):
        fail()


def test_async_functions_are_budgeted() -> None:
    @query_budget(1)
    async def two() -> int:
        await Writer.objects.acount()
        return await Writer.objects.acount()

    with pytest.raises(QueryBudgetExceeded, match="ran 2 queries"):
        async_to_sync(two)()


def test_nested_budgets_count_inner_queries_in_the_outer_one() -> None:
    @query_budget(1)
    def outer() -> int:
        return count_writers() + count_writers()

    with pytest.raises(QueryBudgetExceeded, match="outer"):
        outer()


def test_decorated_function_keeps_its_signature_for_mypy() -> None:
    # mypy (strict, warn_unused_ignores) fails the build if these ignores become unused,
    # which they would if the decorator erased the signature.
    with pytest.raises(TypeError):
        count_writers(True)  # type: ignore[call-arg]  # keyword-only parameter passed by position
    with pytest.raises(TypeError):
        count_writers(extra=1)  # type: ignore[call-arg]  # no such parameter
    result: int = count_writers(twice=False)
    assert result == 0
