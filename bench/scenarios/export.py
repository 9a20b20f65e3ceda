"""Scenario 4: export books to CSV, one variant per process; wall time and peak RSS.

Each row is the bookstore's ``BookRecord`` (``dtos/records.py``: the book's own columns, as
the write API returns them); the layer streams the bookstore's plan for it,
``repos.book_writes.BOOK_RECORD``. Not ``stream_books()``, the CSV page's repository: its rows
also carry tag names and review aggregates, while this scenario isolates what ``stream()``
costs per row against the driver iterating the same columns bare (its fixture holds plain
book rows: no tags, no reviews).

Runs inside a fresh worker. The process's resident memory is read just before the export
starts (Django set up, the connection open, the plan compiled); the kernel's peak-RSS mark is
then reset (``/proc/self/clear_refs``), so the peak reported is the export's own. Rows are
``id <= bound`` (the first N books), in id order, written to a temporary CSV file.
"""

import csv
import gc
import io
import operator
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from django.db import connection
from django.db.models import QuerySet
from fetchplan import export_csv, stream

from bench.harness import RecordsDiffer
from bench.scenarios.common import BOOK, day, money
from bench.scenarios.twins import namedtuple_plan
from bookstore.models import Book
from dtos.records import BookRecord
from repos.book_writes import BOOK_RECORD

CHUNK = 2000
COLUMNS = tuple(BookRecord.model_fields)
BOOK_RECORD_TUPLE = namedtuple_plan(BOOK_RECORD)
RAW_SQL = f"SELECT {', '.join(COLUMNS)} FROM {BOOK} WHERE id <= %s ORDER BY id"  # noqa: S608


def _books(bound: int) -> QuerySet[Book]:
    return Book.objects.filter(id__lte=bound).order_by("id")


_row: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*COLUMNS)  # one C call a row


def list_instances(bound: int, out: TextIO) -> None:
    """``list()`` of model instances, then write: memory grows with the row count."""
    writer = csv.writer(out)
    for book in list(_books(bound)):
        writer.writerow(_row(book))


def iterator(bound: int, out: TextIO) -> None:
    """Model instances through ``iterator(chunk_size=2000)``."""
    writer = csv.writer(out)
    for book in _books(bound).iterator(chunk_size=CHUNK):
        writer.writerow(_row(book))


def values_list_iterator(bound: int, out: TextIO) -> None:
    """``values_list().iterator(chunk_size=2000)``: tuples straight to the writer."""
    csv.writer(out).writerows(_books(bound).values_list(*COLUMNS).iterator(chunk_size=CHUNK))


def layer_stream(bound: int, out: TextIO) -> None:
    """The layer's ``stream()`` of pydantic DTOs, into ``writerows(map(_row, ...))``.

    What a user writing CSV would write: the writer pulls each DTO's fields with one C call
    (``attrgetter``), no Python loop per row, as the floor hands its tuples to ``writerows()``.
    """
    csv.writer(out).writerows(map(_row, stream(BOOK_RECORD, _books(bound), chunk_size=CHUNK)))


def layer_stream_tuple(bound: int, out: TextIO) -> None:
    """The layer's ``stream()`` of NamedTuple DTOs (tuples straight to the writer)."""
    rows = stream(BOOK_RECORD_TUPLE, _books(bound), chunk_size=CHUNK)
    csv.writer(out).writerows(rows)


def raw_cursor(bound: int, out: TextIO) -> None:
    """The raw cursor, ``fetchmany(2000)``; server-side (a named cursor) on PostgreSQL."""
    writer = csv.writer(out)
    with connection.chunked_cursor() as cursor:
        cursor.execute(RAW_SQL, (bound,))
        while rows := cursor.fetchmany(CHUNK):
            writer.writerows(rows)


def layer_copy(bound: int, out: TextIO) -> None:
    """The layer's ``export_csv()``: ``COPY`` of the plan's SELECT on PostgreSQL."""
    blocks = export_csv(BOOK_RECORD, _books(bound), chunk_size=CHUNK)
    next(blocks)  # the header line, a block of its own: the other variants write none
    for block in blocks:
        out.write(block.decode())


def pg_copy(bound: int, out: TextIO) -> None:
    """PostgreSQL's ``COPY (...) TO STDOUT (FORMAT csv)``: no Python per row (a reference)."""
    raw = connection.connection
    assert raw is not None
    query = RAW_SQL.replace("%s", str(int(bound)))
    with raw.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for block in copy:
            out.write(bytes(block).decode())


VARIANTS: dict[str, Callable[[int, TextIO], None]] = {
    "list_instances": list_instances,
    "iterator": iterator,
    "values_list_iterator": values_list_iterator,
    "layer_stream": layer_stream,
    "layer_stream_tuple": layer_stream_tuple,
    "raw_cursor": raw_cursor,
    "layer_copy": layer_copy,
    "pg_copy": pg_copy,
}


def _status_kib(field: str) -> int | None:
    """Return a ``/proc/self/status`` figure in KiB (Linux), or None elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS; False if not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def run_export(variant: str, rows: int) -> dict[str, Any]:
    """Export the first ``rows`` books with ``variant``; return time, memory and row count."""
    export = VARIANTS[variant]
    bound = Book.objects.order_by("id").values_list("id", flat=True)[rows - 1]
    BOOK_RECORD.compiled(), BOOK_RECORD_TUPLE.compiled()
    gc.collect()
    before = _status_kib("VmRSS")
    peak_reset = _reset_peak()
    fd, name = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "w", newline="") as out:
            started = time.perf_counter()
            export(bound, out)
            out.flush()
            elapsed = time.perf_counter() - started
        with Path(name).open() as written_file:
            written = sum(1 for _ in written_file)
    finally:
        os.unlink(name)
    peak = _status_kib("VmHWM")
    return {
        "seconds": elapsed,
        "rss_before_mb": (before or 0) / 1024,
        "peak_rss_mb": (peak or 0) / 1024,
        "peak_reset": peak_reset,
        "rows": written,
    }


def exported_rows(variant: str, bound: int) -> list[tuple[object, ...]]:
    """Export ``id <= bound`` with ``variant`` into memory; return the rows read back from CSV.

    Each value is parsed to one canonical form (ints, ``Decimal`` prices, ISO dates, ``None``
    for an empty publisher), so rows compare equal whatever text each variant wrote.
    """
    out = io.StringIO()
    VARIANTS[variant](bound, out)
    return [
        (int(r[0]), r[1], r[2], money(r[3]), day(r[4]), int(r[5]), r[6] or None)
        for r in csv.reader(io.StringIO(out.getvalue()))
    ]


def check_exports(rows: int) -> dict[str, int]:
    """The export's warm-up: every variant writes the same first ``rows`` rows, or raise.

    The reference is ``raw_cursor``; ``pg_copy`` runs on PostgreSQL only. Raises
    :class:`~bench.harness.RecordsDiffer` naming the variant and the first row that differs.
    Returns how many rows each variant wrote.
    """
    bound = Book.objects.order_by("id").values_list("id", flat=True)[rows - 1]
    expected = exported_rows("raw_cursor", bound)
    written = {}
    for variant in VARIANTS:
        if variant == "pg_copy" and connection.vendor != "postgresql":
            continue
        got = exported_rows(variant, bound)
        if got != expected:
            index = next(
                (
                    i
                    for i, pair in enumerate(zip(got, expected, strict=False))
                    if pair[0] != pair[1]
                ),
                min(len(got), len(expected)),
            )
            raise RecordsDiffer(f"export {variant}: row {index} differs from raw_cursor's")
        written[variant] = len(got)
    return written
