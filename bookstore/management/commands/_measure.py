"""Measure a way of doing something: its queries, its best time, its traced memory peak.

Used by ``manage.py pitfalls`` (a leading underscore keeps Django from listing it as a command).
"""

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from fetchplan.observe import record_queries

type Run = Callable[[], object]


@dataclass(frozen=True)
class Variant:
    """One way of doing the thing: ``role`` is naive, django (a plain ORM fix) or layer."""

    role: str
    label: str
    run: Run
    memory: bool = False


@dataclass(frozen=True)
class Measured:
    """What running a variant cost."""

    role: str
    label: str
    queries: int
    ms: float
    peak_kib: float | None
    result: str


@dataclass(frozen=True)
class Pitfall:
    """A pitfall: its title, its variants, and whether the naive code runs more queries."""

    title: str
    variants: tuple[Variant, ...]
    naive_queries_more: bool


def measure(variant: Variant, *, repeat: int) -> Measured:
    """Run ``variant``: once counting queries, ``repeat`` times timed, once traced for memory."""
    with record_queries(call_sites=False) as recorder:
        result = variant.run()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        variant.run()
        best = min(best, time.perf_counter() - start)
    peak = None
    if variant.memory:
        tracemalloc.start()
        try:
            variant.run()
            peak = tracemalloc.get_traced_memory()[1] / 1024
        finally:
            tracemalloc.stop()
    return Measured(variant.role, variant.label, recorder.count, best * 1000, peak, str(result))
