"""Time variants side by side: warm-up, interleaved repetitions, query counts, same records.

Every variant of a scenario runs in the same process on the same argument. The warm-up runs
each variant once and keeps its output, which is turned into plain records (untimed) and
compared across variants: a variant that returns other data than the floor is a bug in the
benchmark, not a result. Timed repetitions then run the variants in rotating order (A B C,
B C A, C A B, ...), with a full garbage collection before each run, so slow drift of the
machine spreads over every variant instead of favouring one. Queries are counted in every run
(an ``execute_wrapper``: one Python call per query, noise next to the query itself).
"""

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection

Record = tuple[Any, ...]


@dataclass(frozen=True)
class Variant:
    """One way of doing a scenario's work.

    ``run`` is timed; ``records`` turns its output into comparable plain tuples (untimed).
    ``max_size``: above this size the variant is not run (its time is extrapolated).
    """

    key: str
    run: Callable[[Any], object]
    records: Callable[[object], list[Record]]
    max_size: int | None = None


def page_variants(
    pages: dict[str, Callable[[int], object]], records: Callable[[object], list[Record]]
) -> list[Variant]:
    """Return one variant per ``key -> page function``, loading one page per id, as views do."""

    def each(page: Callable[[int], object]) -> Callable[[Any], object]:
        return lambda ids: [page(i) for i in ids]

    return [Variant(key, each(page), records) for key, page in pages.items()]


@dataclass
class Measured:
    """What one variant measured at one size."""

    times: list[float]
    queries: int


class RecordsDiffer(AssertionError):
    """Two variants returned different data for the same argument."""


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    """Count the statements run on the default connection inside the block (into ``[n]``)."""
    counter = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def warm_up(variants: Sequence[Variant], argument: object) -> None:
    """Run each variant once and compare their records; raise RecordsDiffer on other data."""
    expected: list[Record] | None = None
    first = ""
    for variant in variants:
        records = variant.records(variant.run(argument))
        if expected is None:
            expected, first = records, variant.key
        elif records != expected:
            raise RecordsDiffer(_difference(first, expected, variant.key, records))


def _difference(a: str, left: list[Record], b: str, right: list[Record]) -> str:
    if len(left) != len(right):
        return f"{a} returned {len(left)} records, {b} returned {len(right)}"
    for i, (x, y) in enumerate(zip(left, right, strict=True)):
        if x != y:
            return f"record {i} differs:\n  {a}: {x!r}\n  {b}: {y!r}"
    return f"{a} and {b} differ"


def time_once(run: Callable[[Any], object], argument: object) -> tuple[float, int]:
    """Return the seconds one call takes and its queries, after a full collection."""
    gc.collect()
    with counting_queries() as counter:
        started = time.perf_counter()
        output = run(argument)
        elapsed = time.perf_counter() - started
    del output
    return elapsed, counter[0]


def measure(
    variants: Sequence[Variant],
    argument: object,
    repetitions: int,
    *,
    warm: bool = True,
    warm_argument: object = None,
) -> dict[str, Measured]:
    """Warm up (checking records) unless ``warm`` is False, then time interleaved repetitions.

    ``warm=False`` is for a process already warmed up by a smaller size of the same scenario,
    whose records were checked there. ``warm_argument`` warms up on a smaller argument (the
    first 100 of 1,000 pages) when the full one would only cost time.
    """
    if warm:
        warm_up(variants, argument if warm_argument is None else warm_argument)
    times: dict[str, list[float]] = {variant.key: [] for variant in variants}
    queries: dict[str, int] = {}
    for rep in range(repetitions):
        shift = rep % len(variants)
        for variant in [*variants[shift:], *variants[:shift]]:
            elapsed, queries[variant.key] = time_once(variant.run, argument)
            times[variant.key].append(elapsed)
    return {key: Measured(times=times[key], queries=queries[key]) for key in times}
