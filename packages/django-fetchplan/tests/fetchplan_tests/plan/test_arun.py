"""The async twins give what the sync functions give: DTOs, queries, budgets, identity.

Each test is a sync test that runs its coroutine with ``async_to_sync``, as Django's own async
test support does: the ORM work of the twins then runs in the test's thread, on the connection
holding the test's transaction (an ``async def`` test on an event loop would use another
connection, which does not see the test's rows).
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from fetchplan import (
    MultipleFound,
    NotFound,
    NotLoaded,
    acount,
    aexists,
    afetch_all,
    afetch_first,
    afetch_one,
    astream,
    count,
    exists,
    fetch_all,
    fetch_first,
    fetch_one,
    stream,
)
from fetchplan.observe.budget import QueryBudgetExceeded, query_budget
from fetchplan.observe.recorder import record_queries
from fetchplan.observe.zones import QueriesForbidden, no_queries
from fetchplan.plan.declare import StrategyName
from fetchplan.plan.errors import BAD_CHUNK_SIZE

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import NovelDTO
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = pytest.mark.django_db


def run[R](coroutine: Callable[[], Awaitable[R]]) -> R:
    """Run ``coroutine()`` to its end from this sync test."""

    async def main() -> R:
        return await coroutine()

    return async_to_sync(main)()


async def collect[D](dtos: AsyncIterator[D]) -> list[D]:
    return [dto async for dto in dtos]


def queries_of[R](work: Callable[[], R]) -> tuple[R, list[str]]:
    """Return what ``work()`` returned and the SQL of each statement it ran."""
    with record_queries(call_sites=False) as recorded:
        result = work()
    return result, recorded.sql


@pytest.mark.parametrize("strategy", ["values", "instances"])
def test_afetch_all_runs_the_same_queries_for_the_same_dtos(strategy: StrategyName) -> None:
    make_library(writers=6)
    plan = plans.WRITER_CARD.with_strategy(strategy)
    queryset = Writer.objects.order_by("name")
    synced, sync_sql = queries_of(lambda: fetch_all(plan, queryset))
    awaited, async_sql = queries_of(lambda: run(lambda: afetch_all(plan, queryset)))
    assert awaited == synced
    assert len(awaited) == 6
    assert async_sql == sync_sql
    assert len(async_sql) == plan.budget()


def test_afetch_all_keeps_identity_and_not_loaded() -> None:
    make_library(writers=1, novels_per_writer=20)
    novels = run(lambda: afetch_all(plans.NOVEL, Novel.objects.all()))
    assert len(novels) == 20
    assert len({id(novel.writer) for novel in novels}) == 1
    bare = run(lambda: afetch_all(plans.NOVEL_BARE, Novel.objects.all()))
    assert all(isinstance(novel.chapters, NotLoaded) for novel in bare)
    assert all(isinstance(novel.writer, NotLoaded) for novel in bare)


def test_afetch_one_matches_fetch_one_and_raises_the_same_errors() -> None:
    make_library(writers=3)
    writer = Writer.objects.order_by("pk").first()
    assert writer is not None
    synced, sync_sql = queries_of(
        lambda: fetch_one(plans.WRITER_CARD, Writer.objects.all(), pk=writer.pk)
    )
    awaited, async_sql = queries_of(
        lambda: run(lambda: afetch_one(plans.WRITER_CARD, Writer.objects.all(), pk=writer.pk))
    )
    assert awaited == synced
    assert awaited.id == writer.pk
    assert async_sql == sync_sql
    with pytest.raises(NotFound) as raised:
        run(lambda: afetch_one(plans.WRITER_REF, Writer.objects.all(), pk=404))
    assert raised.value.lookup == {"pk": 404}
    with pytest.raises(MultipleFound):
        run(lambda: afetch_one(plans.WRITER_REF, Writer.objects.all(), name__startswith="W"))


def test_afetch_first_and_empty() -> None:
    assert run(lambda: afetch_first(plans.NOVEL, Novel.objects.all())) is None
    make_library(writers=2)
    queryset = Novel.objects.order_by("-title")
    synced, sync_sql = queries_of(lambda: fetch_first(plans.NOVEL, queryset))
    awaited, async_sql = queries_of(lambda: run(lambda: afetch_first(plans.NOVEL, queryset)))
    assert awaited is not None
    assert awaited == synced
    assert async_sql == sync_sql


def test_acount_and_aexists_run_the_sync_statement() -> None:
    make_library(writers=4)
    queryset = Writer.objects.filter(born__isnull=False)
    synced, sync_sql = queries_of(lambda: count(queryset))
    awaited, async_sql = queries_of(lambda: run(lambda: acount(queryset)))
    assert (awaited, async_sql) == (synced, sync_sql) == (3, sync_sql)
    assert len(async_sql) == 1
    present = Novel.objects.filter(title__startswith="Novel")
    assert queries_of(lambda: run(lambda: aexists(present))) == queries_of(lambda: exists(present))
    assert run(lambda: aexists(present)) is True
    assert run(lambda: aexists(Novel.objects.filter(title="nope"))) is False


@pytest.mark.parametrize("strategy", ["values", "instances"])
def test_astream_gives_the_sync_streams_dtos_and_queries(strategy: StrategyName) -> None:
    make_library(writers=20, novels_per_writer=2)
    plan = plans.NOVEL.with_strategy(strategy)
    queryset = Novel.objects.order_by("pk")
    synced, sync_sql = queries_of(lambda: list(stream(plan, queryset, chunk_size=7)))
    awaited, async_sql = queries_of(
        lambda: run(lambda: collect(astream(plan, queryset, chunk_size=7)))
    )
    assert awaited == synced == fetch_all(plans.NOVEL, queryset)
    assert len(awaited) == 40
    assert len(async_sql) == len(sync_sql)


def test_astream_of_an_exact_multiple_and_of_nothing() -> None:
    make_library(writers=2, novels_per_writer=5)
    queryset = Novel.objects.order_by("pk")
    assert len(run(lambda: collect(astream(plans.NOVEL_ROW, queryset, chunk_size=5)))) == 10
    empty = Novel.objects.none()
    assert run(lambda: collect(astream(plans.NOVEL_ROW, empty))) == []


@pytest.mark.parametrize("chunk_size", [0, -5])
def test_astream_rejects_a_bad_chunk_size(chunk_size: int) -> None:
    with pytest.raises(ValueError, match="chunk_size") as raised:
        run(lambda: collect(astream(plans.NOVEL, Novel.objects.all(), chunk_size=chunk_size)))
    assert str(raised.value) == BAD_CHUNK_SIZE.format(chunk_size=chunk_size)


def test_astream_stopped_early_closes_its_cursor() -> None:
    make_library(writers=20, novels_per_writer=3)

    async def first_three() -> list[str]:
        titles: list[str] = []
        queryset = Novel.objects.order_by("pk")
        async with aclosing(astream(plans.NOVEL_ROW, queryset, chunk_size=10)) as dtos:
            async for novel in dtos:
                titles.append(novel.title)
                if len(titles) == 3:
                    break
        return titles

    assert len(run(first_three)) == 3
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            row = cursor.fetchone()
        assert row is not None
        assert row[0] == 0  # the server-side cursor of the stream is closed
    assert Novel.objects.count() == 60  # the connection is usable


def test_a_budget_on_an_async_function_counts_the_twins_queries() -> None:
    make_library(writers=3)

    @query_budget(plans.WRITER_CARD)
    async def cards() -> int:
        return len(await afetch_all(plans.WRITER_CARD, Writer.objects.all()))

    @query_budget(plans.WRITER_CARD.budget() - 1)
    async def too_many() -> int:
        return len(await afetch_all(plans.WRITER_CARD, Writer.objects.all()))

    assert run(cards) == 3
    with pytest.raises(QueryBudgetExceeded, match="too_many"):
        run(too_many)


def test_a_no_query_zone_covers_the_twins() -> None:
    make_library(writers=1)

    async def fetch_in_zone() -> list[NovelDTO]:
        with no_queries(label="async"):
            return await afetch_all(plans.NOVEL, Novel.objects.all())

    async def stream_in_zone() -> list[NovelDTO]:
        with no_queries(label="async"):
            return await collect(astream(plans.NOVEL, Novel.objects.all()))

    with pytest.raises(QueriesForbidden, match=r"zone \(async\)"):
        run(fetch_in_zone)
    with pytest.raises(QueriesForbidden, match=r"zone \(async\)"):
        run(stream_in_zone)
    with pytest.raises(QueriesForbidden):
        run(lambda: no_queries(acount)(Novel.objects.all()))
