"""record_queries() sees every statement of its context, on every alias, sync and async."""

import asyncio
import sys
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, connections
from fetchplan.observe.hook import carry_context, observe_execute
from fetchplan.observe.recorder import record_queries

from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db(transaction=False)


def select_one_in_thread() -> None:
    """Run one statement on this thread's own connection, then close it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connections.close_all()


def run_in_thread(target: object) -> None:
    assert callable(target)
    thread = threading.Thread(target=target)
    thread.start()
    thread.join()


def test_records_sql_params_alias_duration_and_order() -> None:
    with record_queries() as recorded:
        Writer.objects.filter(name="Ann").exists()
        Writer.objects.create(name="Bob")
    assert recorded.count == 2
    first, second = recorded.records
    assert first.sql.startswith("SELECT")
    assert "Ann" in first.params
    assert "INSERT" in second.sql
    assert {r.alias for r in recorded.records} == {"default"}
    assert all(r.duration > 0 for r in recorded.records)
    assert recorded.sql == [first.sql, second.sql]


def test_nothing_outside_the_block_is_recorded() -> None:
    Writer.objects.exists()
    with record_queries() as recorded:
        pass
    Writer.objects.exists()
    assert recorded.count == 0


def test_nested_recorders_both_see_inner_statements() -> None:
    with record_queries() as outer:
        Writer.objects.exists()
        with record_queries() as inner:
            Writer.objects.count()
    assert (outer.count, inner.count) == (2, 1)


def test_every_alias_and_new_connection_objects_are_covered() -> None:
    other = connection.copy(alias="second")
    try:
        with record_queries() as recorded:
            with other.cursor() as cursor:  # connects now: connection_created installs the hook
                cursor.execute("SELECT 1")
            Writer.objects.exists()
    finally:
        other.close()
    assert observe_execute in other.execute_wrappers
    assert [r.alias for r in recorded.records] == ["second", "default"]


def test_hook_is_outermost_so_pushed_wrappers_pop_cleanly() -> None:
    def passthrough(execute, sql, params, many, context):  # type: ignore[no-untyped-def]  # Django's wrapper protocol
        return execute(sql, params, many, context)

    with connection.execute_wrapper(passthrough):
        assert connection.execute_wrappers[0] is observe_execute
    assert connection.execute_wrappers == [observe_execute]


def test_plain_thread_started_inside_is_not_recorded() -> None:
    with record_queries() as recorded:
        run_in_thread(select_one_in_thread)
    assert recorded.count == 0


def test_thread_with_carried_context_is_recorded() -> None:
    with record_queries() as recorded:
        run_in_thread(carry_context(select_one_in_thread))
    assert recorded.sql == ["SELECT 1"]


def test_async_tasks_and_sync_to_async_are_recorded() -> None:
    async def two_tasks() -> list[int]:
        return list(await asyncio.gather(Writer.objects.acount(), Writer.objects.acount()))

    with record_queries() as recorded:
        line = sys._getframe().f_lineno + 1
        counts = async_to_sync(two_tasks)()
    assert counts == [0, 0]
    assert recorded.count == 2
    # The sync part runs in this thread (thread_sensitive); the nearest project frame is here.
    assert {(r.call_site.filename, r.call_site.lineno) for r in recorded.records} == {
        (__file__, line)
    }


def test_recorder_started_inside_async_code_sees_its_queries() -> None:
    async def inner() -> int:
        with record_queries() as recorded:
            await sync_to_async(Writer.objects.exists)()
            await Writer.objects.aexists()
        return recorded.count

    assert async_to_sync(inner)() == 2
