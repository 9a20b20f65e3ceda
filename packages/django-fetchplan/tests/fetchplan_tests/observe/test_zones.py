"""no_queries() refuses every statement in its context; allow_queries() is the escape hatch."""

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator

import pytest
from asgiref.sync import async_to_sync
from django.db import connection, connections
from fetchplan.observe.hook import carry_context
from fetchplan.observe.recorder import record_queries
from fetchplan.observe.wrapping import CANNOT_DECORATE_GENERATOR
from fetchplan.observe.zones import (
    QUERIES_FORBIDDEN,
    REASON_REQUIRED,
    QueriesForbidden,
    allow_queries,
    no_queries,
)

from fetchplan_tests.compat import qn
from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db


def test_query_in_zone_raises_naming_sql_and_call_site() -> None:
    line = sys._getframe().f_lineno + 2
    with no_queries(), pytest.raises(QueriesForbidden) as caught:
        Writer.objects.filter(name="x").exists()
    error = caught.value
    assert error.alias == "default"
    assert qn("testapp_writer") in error.sql
    assert (error.call_site.filename, error.call_site.lineno) == (__file__, line)
    assert str(error) == QUERIES_FORBIDDEN.format(
        label="", sql=error.sql, alias="default", call_site=error.call_site
    )
    assert f"test_zones.py:{line}" in str(error)


def test_label_names_the_zone() -> None:
    with no_queries(label="pricing"), pytest.raises(QueriesForbidden, match=r"zone \(pricing\)"):
        Writer.objects.count()


def test_zone_ends_with_the_block_and_remembers_violations() -> None:
    with no_queries() as zone, contextlib.suppress(QueriesForbidden):
        Writer.objects.count()
    assert Writer.objects.count() == 0
    assert len(zone.violations) == 1


def test_bare_decorator_and_labelled_decorator() -> None:
    @no_queries
    def bare() -> int:
        return Writer.objects.count()

    @no_queries(label="labelled")
    def labelled(*, name: str) -> bool:
        return Writer.objects.filter(name=name).exists()

    with pytest.raises(QueriesForbidden):
        bare()
    with pytest.raises(QueriesForbidden, match="labelled"):
        labelled(name="x")
    assert Writer.objects.count() == 0  # the decorators left no zone behind
    assert bare.__name__ == "bare"


def test_decorated_pure_function_runs() -> None:
    @no_queries
    def add(a: int, b: int) -> int:
        return a + b

    assert add(2, 3) == 5


def test_async_function_decorator_covers_the_awaited_body() -> None:
    @no_queries
    async def count() -> int:
        return await Writer.objects.acount()

    with pytest.raises(QueriesForbidden):
        async_to_sync(count)()


def test_generator_functions_are_refused() -> None:
    def rows() -> Iterator[int]:
        yield 1

    with pytest.raises(TypeError) as caught:
        no_queries(rows)
    assert str(caught.value) == CANNOT_DECORATE_GENERATOR.format(
        decorator="no_queries", function=rows.__qualname__
    )


def test_allow_queries_lifts_the_zone_and_recorders_still_see_it() -> None:
    with record_queries() as recorded, no_queries():
        with allow_queries(reason="test of the escape hatch"):
            assert Writer.objects.count() == 0
        with pytest.raises(QueriesForbidden):
            Writer.objects.count()
    assert recorded.count == 1


def test_zone_inside_allow_inside_zone_forbids_again() -> None:
    with (
        no_queries(),
        allow_queries(reason="nested"),
        no_queries(),
        pytest.raises(QueriesForbidden),
    ):
        Writer.objects.count()


def test_allow_queries_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason") as caught, allow_queries(reason="  "):
        pass
    assert str(caught.value) == REASON_REQUIRED


def test_async_tasks_started_in_a_zone_are_covered() -> None:
    async def in_task() -> int:
        import asyncio

        return await asyncio.create_task(Writer.objects.acount())

    with no_queries(), pytest.raises(QueriesForbidden):
        async_to_sync(in_task)()


def _select_one(errors: list[BaseException]) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except BaseException as error:
        errors.append(error)
    finally:
        connections.close_all()


def _in_thread(target: Callable[[], None]) -> None:
    thread = threading.Thread(target=target)
    thread.start()
    thread.join()


@pytest.mark.skipif(
    bool(getattr(sys.flags, "thread_inherit_context", 0)),
    reason="threads inherit the context under -X thread_inherit_context",
)
def test_plain_thread_started_in_a_zone_is_not_covered() -> None:
    errors: list[BaseException] = []
    with no_queries():
        _in_thread(lambda: _select_one(errors))
    assert errors == []


def test_thread_with_carried_context_is_covered() -> None:
    errors: list[BaseException] = []
    with no_queries():
        _in_thread(carry_context(lambda: _select_one(errors)))
    assert [type(error) for error in errors] == [QueriesForbidden]
