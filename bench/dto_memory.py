"""Traced memory of 10,000 DTOs against 10,000 model instances of the same rows (issue 12).

Runs in a worker (``bench.worker`` job ``{"kind": "dto-memory", "rows": N}``) on the export
fixture: the first ``N`` books by id, fetched whole (``fetch_all``; ``list()`` of the
queryset), each variant once to warm up (plans compiled, statements cached) and then measured
under ``tracemalloc``: the *peak* while fetching (rows, converted rows and objects alive at
once) and what stays *held* by the result list afterwards. ``tracemalloc`` counts Python
allocations only (not the driver's C buffers), the same way for every variant.
"""

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

from fetchplan import fetch_all

from bench.scenarios.twins import namedtuple_plan
from bookstore.models import Book
from repos.book_writes import BOOK_RECORD

BOOK_RECORD_TUPLE = namedtuple_plan(BOOK_RECORD)


def _variants(rows: int) -> dict[str, Callable[[], list[Any]]]:
    def books() -> Any:
        return Book.objects.order_by("id")[:rows]

    return {
        "instances": lambda: list(books()),
        "pydantic": lambda: fetch_all(BOOK_RECORD, books()),
        "namedtuple": lambda: fetch_all(BOOK_RECORD_TUPLE, books()),
    }


def _traced(make: Callable[[], list[Any]]) -> tuple[int, int, int]:
    """Return (peak bytes while making, bytes held after, objects made)."""
    gc.collect()
    tracemalloc.start()
    try:
        made = make()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, held, len(made)


def measure(rows: int) -> dict[str, Any]:
    """Measure every variant over the first ``rows`` books; return MB figures per variant."""
    out: dict[str, Any] = {}
    for name, make in _variants(rows).items():
        make()  # warm-up: compile, cache statements, fill Django's caches
        peak, held, count = _traced(make)
        out[name] = {"peak_mb": peak / 2**20, "held_mb": held / 2**20, "objects": count}
    return out
