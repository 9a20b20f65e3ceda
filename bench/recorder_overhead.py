"""Measure what ``record_queries()`` adds to a workload of 1,000 ORM queries.

Three variants run the same workload (primary-key lookups through the ORM, as a repository
would), interleaved within each repetition in rotating order so drift hits them equally:

- ``bare``: the ``fetchplan.observe`` wrapper removed from the connection (as if not installed),
- ``idle``: the wrapper installed, nothing active (what every query pays in production),
- ``recording``: inside ``record_queries()`` with call sites (what DEBUG and tests pay).

Reports the median of each and the ratios to ``bare``. Usage::

    python -m bench.recorder_overhead [--reps 21] [--queries 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb python -m bench.recorder_overhead

The database is a throwaway test database made by Django's test machinery (in-memory for
SQLite; ``test_<name>_recorder_bench`` on PostgreSQL), dropped at the end.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from bench.standalone import setup_django

setup_django()

from django.db import connection  # noqa: E402
from fetchplan.observe.hook import ensure_installed, observe_execute  # noqa: E402
from fetchplan.observe.recorder import record_queries  # noqa: E402

from bookstore.models import Author, Book  # noqa: E402


def make_rows(count: int) -> list[int]:
    """Create ``count`` books (one author each); return their ids."""
    ids = []
    for index in range(count):
        author = Author.objects.create(name=f"Author {index}")
        book = Book.objects.create(
            title=f"Title {index}",
            isbn=f"{index:013d}",
            price="9.99",
            published="2020-01-01",
            author=author,
        )
        ids.append(book.pk)
    return ids


def workload(ids: list[int], queries: int) -> None:
    """Run ``queries`` primary-key lookups through the ORM."""
    for index in range(queries):
        Book.objects.filter(pk=ids[index % len(ids)]).values_list("title", flat=True).first()


def timed(run: Callable[[], None], block: AbstractContextManager[Any]) -> float:
    """Return the seconds ``run()`` takes inside ``block``."""
    with block:
        started = time.perf_counter()
        run()
        return time.perf_counter() - started


def measure(ids: list[int], queries: int, reps: int) -> dict[str, list[float]]:
    """Return each variant's timings over ``reps`` interleaved repetitions."""
    wrappers = connection.execute_wrappers

    def bare() -> float:
        wrappers.remove(observe_execute)
        try:
            return timed(lambda: workload(ids, queries), nullcontext())
        finally:
            wrappers.insert(0, observe_execute)

    def idle() -> float:
        return timed(lambda: workload(ids, queries), nullcontext())

    def recording() -> float:
        with record_queries() as recorder:
            elapsed = timed(lambda: workload(ids, queries), nullcontext())
        assert recorder.count == queries
        return elapsed

    variants: dict[str, Callable[[], float]] = {
        "bare": bare,
        "idle": idle,
        "recording": recording,
    }
    names = list(variants)
    for name in names:  # warm-up: caches, JIT-free but allocator and statement caches
        variants[name]()
    results: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(variants[name]())
    return results


def main() -> None:
    """Build a throwaway database, measure, print medians and ratios, drop the database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=21)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()

    if connection.vendor != "sqlite":
        test = connection.settings_dict.setdefault("TEST", {})
        test["NAME"] = f"test_{connection.settings_dict['NAME']}_recorder_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        ensure_installed()
        assert observe_execute in connection.execute_wrappers
        ids = make_rows(50)
        results = measure(ids, args.queries, args.reps)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    medians = {name: statistics.median(times) for name, times in results.items()}
    print(
        f"backend: {connection.vendor}, {args.queries} queries x {args.reps} interleaved reps, "
        "medians:"
    )
    for name, median in medians.items():
        per_query = median / args.queries * 1e6
        ratio = median / medians["bare"]
        print(f"  {name:<10} {median * 1000:8.1f} ms  {per_query:6.1f} us/query  {ratio:.3f}x bare")
    overhead = medians["recording"] / medians["bare"] - 1
    print(f"recording overhead vs bare: {overhead:+.1%}; vs idle: "
          f"{medians['recording'] / medians['idle'] - 1:+.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
