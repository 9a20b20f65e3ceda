"""Measure how the engine selects a to-many level's rows: no filter, a subquery, or an id list.

The same books are fetched three ways with the bookstore's ``AUTHOR_BOOK`` plan (a book and
its tag names: one query for the books, one for the tags):

- ``whole table``: ``Book.objects.all()``; the tag query needs no parent filter at all;
- ``subquery``: an unsliced filter that keeps every book; the tag query filters by
  ``IN (SELECT ... the caller's query)``, so no id list is sent;
- ``id list``: the same queryset sliced (as a page is); the tag query filters by the parents'
  ids, sent as parameters in batches under the backend's limit.

All three return equal DTOs (checked before timing). Variants run interleaved in rotating
order; the median of each is reported with its ratio to ``subquery``. Usage::

    python -m bench.child_selection [--books 10000] [--reps 9]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb python -m bench.child_selection

The database is a throwaway test database made by Django's test machinery (in-memory for
SQLite; ``test_<name>`` on PostgreSQL), seeded with ``--books`` books and dropped at the end.
"""

import argparse
import statistics
from typing import Any

from bench.standalone import setup_django, time_rotated

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import QuerySet  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from fetchplan import explain, fetch_all  # noqa: E402

from bookstore.models import Book  # noqa: E402
from bookstore.seeding.generator import Seeder  # noqa: E402
from repos.authors import AUTHOR_BOOK  # noqa: E402

SELECTIONS = {
    "whole table": lambda: Book.objects.all(),
    "subquery": lambda: Book.objects.filter(price__gte=0),
    "id list": lambda: Book.objects.filter(price__gte=0)[: 10**9],
}


def how_children_are_selected(queryset: QuerySet[Book]) -> str:
    """Return explain()'s description of the tag query for ``queryset``."""
    return explain(AUTHOR_BOOK, queryset).statements[-1].purpose


def measure(reps: int) -> dict[str, list[float]]:
    """Check the selections agree, then time them interleaved; return seconds per variant."""
    names = list(SELECTIONS)
    expected = fetch_all(AUTHOR_BOOK, SELECTIONS[names[0]]())
    for name in names[1:]:
        if fetch_all(AUTHOR_BOOK, SELECTIONS[name]()) != expected:
            raise AssertionError(f"{name} returned other DTOs than {names[0]}")
    runs = {name: lambda name=name: fetch_all(AUTHOR_BOOK, SELECTIONS[name]()) for name in names}
    return time_rotated(runs, reps)


def main() -> None:
    """Seed a throwaway database, measure, print one line per variant."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=9)
    args = parser.parse_args()
    state: Any = setup_databases(verbosity=0, interactive=False)
    try:
        Seeder(books=args.books, seed=1).run()
        times = measure(args.reps)
        base = statistics.median(times["subquery"])
        print(f"{connection.vendor}, {args.books:,} books, median of {args.reps} interleaved runs")
        for name, seconds in times.items():
            median = statistics.median(seconds)
            how = how_children_are_selected(SELECTIONS[name]())
            print(f"  {name:<12} {median * 1000:8.1f} ms  {median / base:5.2f}x  ({how})")
    finally:
        teardown_databases(state, verbosity=0)


if __name__ == "__main__":
    main()
