"""Streaming keeps peak memory flat: it does not grow with the number of rows."""

import datetime as dt
import tracemalloc
from collections.abc import Callable
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from fetchplan import astream, fetch_all, stream

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def add_novels(count: int) -> None:
    writer = Writer.objects.create(name="Prolific")
    published = dt.date(2000, 1, 1)
    for start in range(0, count, 10_000):
        Novel.objects.bulk_create(
            Novel(title=f"Novel {i}", price=Decimal("1.00"), published=published, writer=writer)
            for i in range(start, min(count, start + 10_000))
        )


def peak_bytes(work: Callable[[], int]) -> tuple[int, int]:
    """Return (result of ``work``, peak traced bytes while it ran)."""
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def stream_all(*order: str) -> int:
    seen = 0
    for _ in stream(plans.NOVEL_ROW, Novel.objects.order_by(*order), chunk_size=2000):
        seen += 1
    return seen


async def astream_all() -> int:
    seen = 0
    async for _ in astream(plans.NOVEL_ROW, Novel.objects.order_by("pk"), chunk_size=2000):
        seen += 1
    return seen


# ("writer_id", "-published", "title"): two writers (one per add_novels) and one date, so the
# keyset's later columns and the primary key break every tie (keyset chunks on MySQL/MariaDB).
@pytest.mark.parametrize("order", [("pk",), ("writer_id", "-published", "title")])
def test_streaming_200000_rows_keeps_peak_memory_flat(order: tuple[str, ...]) -> None:
    add_novels(50_000)
    rows, stream_50k = peak_bytes(lambda: stream_all(*order))
    assert rows == 50_000
    rows, fetch_50k = peak_bytes(lambda: len(fetch_all(plans.NOVEL_ROW, Novel.objects.all())))
    assert rows == 50_000
    add_novels(150_000)
    rows, stream_200k = peak_bytes(lambda: stream_all(*order))
    assert rows == 200_000
    print(
        f"\npeak traced memory: stream 50,000 rows {stream_50k / 1e6:.1f} MB, "
        f"stream 200,000 rows {stream_200k / 1e6:.1f} MB, "
        f"fetch_all 50,000 rows {fetch_50k / 1e6:.1f} MB"
    )
    assert stream_200k <= 1.5 * stream_50k
    assert fetch_50k >= 4 * stream_200k


def test_async_streaming_200000_rows_keeps_peak_memory_flat() -> None:
    # The event loop runs in async_to_sync's thread and the ORM in this one: tracemalloc
    # traces both.
    add_novels(50_000)
    rows, astream_50k = peak_bytes(async_to_sync(astream_all))
    assert rows == 50_000
    rows, fetch_50k = peak_bytes(lambda: len(fetch_all(plans.NOVEL_ROW, Novel.objects.all())))
    assert rows == 50_000
    add_novels(150_000)
    rows, astream_200k = peak_bytes(async_to_sync(astream_all))
    assert rows == 200_000
    print(
        f"\npeak traced memory: astream 50,000 rows {astream_50k / 1e6:.1f} MB, "
        f"astream 200,000 rows {astream_200k / 1e6:.1f} MB, "
        f"fetch_all 50,000 rows {fetch_50k / 1e6:.1f} MB"
    )
    assert astream_200k <= 1.5 * astream_50k
    assert fetch_50k >= 4 * astream_200k
