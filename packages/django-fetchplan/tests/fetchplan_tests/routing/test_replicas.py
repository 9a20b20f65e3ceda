"""Read replicas against a real PostgreSQL streaming replica (the ``replica`` fixture).

Plan reads land on the replica (``pg_is_in_recovery()`` is true on the connection they
used), writes on the primary, a read after a write in the same scope sees the write, and a
replica whose replay is paused (``pg_wal_replay_pause()``) never serves a read-after-write.
"""

from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from fetchplan import afetch_all, count, fetch_all, fetch_one
from fetchplan.observe import record_queries
from fetchplan.routing import ReadYourWritesMiddleware, on_primary, primary, write_scope

from fetchplan_tests.routing.replica_server import wait_until
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import WriterRef
from fetchplan_tests.testapp.models import Writer

pytestmark = [
    pytest.mark.skipif(
        "replica" not in settings.DATABASES, reason="the replica tests need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

ROUTED = override_settings(
    FETCHPLAN_READ_REPLICAS=["replica"],
    DATABASE_ROUTERS=["fetchplan.routing.ReplicaRouter"],
)


@pytest.fixture(autouse=True)
def routed(replica: str) -> Iterator[None]:
    with ROUTED:
        yield


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        row = cursor.fetchone()
    assert row is not None
    return bool(row[0])


def replicated(writer: Writer) -> None:
    """Wait until the replica has replayed ``writer``'s row."""
    wait_until(lambda: Writer.objects.using("replica").filter(pk=writer.pk).exists())


def aliases_of_plan_reads(work: object) -> set[str]:
    assert callable(work)
    with record_queries(call_sites=False) as recorded:
        work()
    return {record.alias for record in recorded.records}


def test_the_replica_is_a_streaming_standby() -> None:
    assert in_recovery("replica")
    assert not in_recovery("default")
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT status FROM pg_stat_wal_receiver")
        assert cursor.fetchone() == ("streaming",)


def test_plan_reads_land_on_the_replica_and_writes_on_the_primary() -> None:
    with write_scope():
        with record_queries(call_sites=False) as recorded:
            writer = Writer.objects.create(name="Written on the primary")
        assert {record.alias for record in recorded.records} == {"default"}
    replicated(writer)
    with write_scope():
        with record_queries(call_sites=False) as recorded:
            rows = fetch_all(plans.WRITER_REF, Writer.objects.filter(pk=writer.pk))
            total = count(Writer.objects.all())
        assert rows == [WriterRef(id=writer.pk, name="Written on the primary")]
        assert total == 1
        assert {record.alias for record in recorded.records} == {"replica"}
        assert in_recovery("replica")


def test_a_read_after_a_write_in_the_same_scope_reads_the_primary() -> None:
    with write_scope():
        writer = Writer.objects.create(name="Fresh")
        with record_queries(call_sites=False) as recorded:
            found = fetch_one(plans.WRITER_REF, Writer.objects.all(), pk=writer.pk)
        assert found.name == "Fresh"
        assert {record.alias for record in recorded.records} == {"default"}


def test_a_paused_replica_never_serves_a_read_after_write() -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        wait_until(lambda: _replay_paused(), what="replay pause")
        with write_scope():
            writer = Writer.objects.create(name="Not replayed yet")
            assert fetch_one(plans.WRITER_REF, Writer.objects.all(), pk=writer.pk).name
            assert len(async_to_sync(afetch_all)(plans.WRITER_REF, Writer.objects.all())) == 1
        # The replica really lags: a scope that did not write reads it, and misses the row.
        assert not Writer.objects.using("replica").filter(pk=writer.pk).exists()
        with write_scope():
            assert fetch_all(plans.WRITER_REF, Writer.objects.all()) == []
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    replicated(writer)


def _replay_paused() -> bool:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_get_wal_replay_pause_state()")
        row = cursor.fetchone()
    return row is not None and row[0] == "paused"


def test_primary_block_decorator_and_transactions_read_the_primary() -> None:
    @on_primary
    def latest() -> list[WriterRef]:
        return fetch_all(plans.WRITER_REF, Writer.objects.all())

    @on_primary
    async def alatest() -> list[WriterRef]:
        return await afetch_all(plans.WRITER_REF, Writer.objects.all())

    with write_scope():
        assert aliases_of_plan_reads(lambda: fetch_all(plans.WRITER_REF, Writer.objects.all())) == {
            "replica"
        }
        with primary():
            assert aliases_of_plan_reads(
                lambda: fetch_all(plans.WRITER_REF, Writer.objects.all())
            ) == {"default"}
        assert aliases_of_plan_reads(latest) == {"default"}
        assert aliases_of_plan_reads(async_to_sync(alatest)) == {"default"}
        with transaction.atomic():
            assert aliases_of_plan_reads(
                lambda: fetch_all(plans.WRITER_REF, Writer.objects.all())
            ) == {"default"}
        assert aliases_of_plan_reads(
            lambda: fetch_all(plans.WRITER_REF, Writer.objects.using("default"))
        ) == {"default"}


def _view(request: HttpRequest) -> HttpResponse:
    if request.GET.get("write"):
        Writer.objects.create(name="By a request")
    names = [writer.name for writer in fetch_all(plans.WRITER_REF, Writer.objects.all())]
    return HttpResponse(",".join(names))


def test_each_request_gets_its_own_scope() -> None:
    middleware = ReadYourWritesMiddleware(_view)
    factory = RequestFactory()
    with record_queries(call_sites=False) as writing:
        written = middleware(factory.get("/", {"write": "1"}))
    assert isinstance(written, HttpResponse)
    assert written.content == b"By a request"  # the read after the write: on the primary
    assert {record.alias for record in writing.records} == {"default"}
    with record_queries(call_sites=False) as reading:
        middleware(factory.get("/"))
    assert {record.alias for record in reading.records} == {"replica"}  # the next request
