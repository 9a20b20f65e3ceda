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

# Rows streamed first, then in all: 4 times as many. A stream that buffered its result would
# peak about 4 times higher at the larger size (measured with the keyset chunks disabled on
# MariaDB: 4.4 MB at 20,000 rows, 17.4 MB at 80,000); a chunked one stays at one chunk's
# DTOs (0.5-1.0 MB on SQLite, PostgreSQL and MariaDB). Tracing every allocation is slow, so
# the sizes are the smallest that keep the two apart by a wide margin (the suite runs this
# file on three databases and two Django versions).
SMALL, LARGE = 20_000, 80_000


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
    for _ in stream(plans.NOVEL_ROW, Novel.objects.order_by(*order), chunk_size=1000):
        seen += 1
    return seen


async def astream_all() -> int:
    seen = 0
    async for _ in astream(plans.NOVEL_ROW, Novel.objects.order_by("pk"), chunk_size=1000):
        seen += 1
    return seen


# ("writer_id", "-published", "title"): two writers (one per add_novels) and one date, so the
# keyset's later columns and the primary key break every tie (keyset chunks on MySQL/MariaDB).
@pytest.mark.parametrize("order", [("pk",), ("writer_id", "-published", "title")])
def test_streaming_4_times_the_rows_keeps_peak_memory_flat(order: tuple[str, ...]) -> None:
    add_novels(SMALL)
    rows, stream_small = peak_bytes(lambda: stream_all(*order))
    assert rows == SMALL
    rows, fetch_small = peak_bytes(lambda: len(fetch_all(plans.NOVEL_ROW, Novel.objects.all())))
    assert rows == SMALL
    add_novels(LARGE - SMALL)
    rows, stream_large = peak_bytes(lambda: stream_all(*order))
    assert rows == LARGE
    print(
        f"\npeak traced memory: stream {SMALL:,} rows {stream_small / 1e6:.1f} MB, "
        f"stream {LARGE:,} rows {stream_large / 1e6:.1f} MB, "
        f"fetch_all {SMALL:,} rows {fetch_small / 1e6:.1f} MB"
    )
    assert stream_large <= 1.5 * stream_small
    assert fetch_small >= 4 * stream_large


def test_async_streaming_4_times_the_rows_keeps_peak_memory_flat() -> None:
    # The event loop runs in async_to_sync's thread and the ORM in this one: tracemalloc
    # traces both.
    add_novels(SMALL)
    rows, astream_small = peak_bytes(async_to_sync(astream_all))
    assert rows == SMALL
    rows, fetch_small = peak_bytes(lambda: len(fetch_all(plans.NOVEL_ROW, Novel.objects.all())))
    assert rows == SMALL
    add_novels(LARGE - SMALL)
    rows, astream_large = peak_bytes(async_to_sync(astream_all))
    assert rows == LARGE
    print(
        f"\npeak traced memory: astream {SMALL:,} rows {astream_small / 1e6:.1f} MB, "
        f"astream {LARGE:,} rows {astream_large / 1e6:.1f} MB, "
        f"fetch_all {SMALL:,} rows {fetch_small / 1e6:.1f} MB"
    )
    assert astream_large <= 1.5 * astream_small
    assert fetch_small >= 4 * astream_large
