"""Measure ``Many(source="books__tags", distinct=True)`` against deduplicating in Python.

"The distinct tags of an author's books" (issue 11's "distinct genres of an album's tracks"):
a to-many relation over two hops, where a tag is reached once per book that carries it. Two
variants fetch every author with the bookstore schema and give equal answers (checked before
timing):

- ``sql distinct``: ``Many(scalar="name", source="books__tags", distinct=True)``, the
  database drops the repeats (``SELECT DISTINCT``), Python gets each (author, tag) once;
- ``python dedupe``: the same relation without ``distinct``, every (author, book, tag) row
  loaded, then deduplicated per author in Python (``sorted(set(...))``), timed with it.

Variants run interleaved in rotating order; each size reports the median and min-max of each
variant and the ratio of the medians, with the load average before and after (the machine
may be shared). Usage::

    python -m bench.distinct_hops [--books 1000 5000 20000] [--reps 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_distinct_$CHECKOUT_ID \\
        python -m bench.distinct_hops

The database is a throwaway test database made by Django's test machinery (in-memory for
SQLite; ``test_<name>`` on PostgreSQL), seeded per size and dropped after it.
"""

import argparse
import os
import statistics
from collections.abc import Callable
from typing import Any

from bench.standalone import setup_django, time_rotated

setup_django()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from fetchplan import DTO, Many, Plan, fetch_all  # noqa: E402

from bookstore.models import Author  # noqa: E402
from bookstore.seeding.generator import Seeder  # noqa: E402


class AuthorTags(DTO):
    """An author and the names of the tags on their books."""

    id: int
    tags: tuple[str, ...]


TAGS = "books__tags"
DISTINCT = Plan(
    Author,
    AuthorTags,
    relations={"tags": Many(scalar="name", source=TAGS, distinct=True, order_by=("name",))},
)
EVERY_ROW = Plan(
    Author, AuthorTags, relations={"tags": Many(scalar="name", source=TAGS, order_by=("name",))}
)

Answer = dict[int, tuple[str, ...]]


def sql_distinct() -> Answer:
    """Each author's tags, deduplicated by the database."""
    return {a.id: a.tags for a in fetch_all(DISTINCT, Author.objects.all())}


def python_dedupe() -> Answer:
    """Each author's tags, every row loaded and deduplicated here."""
    return {a.id: tuple(sorted(set(a.tags))) for a in fetch_all(EVERY_ROW, Author.objects.all())}


VARIANTS: dict[str, Callable[[], Answer]] = {
    "sql distinct": sql_distinct,
    "python dedupe": python_dedupe,
}


def measure(reps: int) -> dict[str, list[float]]:
    """Check the variants agree, then time them interleaved; return seconds per variant."""
    answers = {name: run() for name, run in VARIANTS.items()}
    if answers["sql distinct"] != answers["python dedupe"]:
        raise AssertionError("sql distinct and python dedupe disagree")
    return time_rotated(VARIANTS, reps)


def rows_loaded() -> tuple[int, int]:
    """Return how many (author, tag) rows each variant's tag query returns."""
    every = sum(len(a.tags) for a in fetch_all(EVERY_ROW, Author.objects.all()))
    distinct = sum(len(a.tags) for a in fetch_all(DISTINCT, Author.objects.all()))
    return every, distinct


def one_size(books: int, reps: int) -> None:
    """Seed ``books`` books in a throwaway database, measure, print the figures."""
    state: Any = setup_databases(verbosity=0, interactive=False)
    try:
        Seeder(books=books, seed=1).run()
        every, distinct = rows_loaded()
        load_before = os.getloadavg()
        times = measure(reps)
        load_after = os.getloadavg()
        medians = {name: statistics.median(seconds) for name, seconds in times.items()}
        print(
            f"{connection.vendor}, {books:,} books ({Author.objects.count():,} authors; "
            f"{every:,} tag rows, {distinct:,} distinct), {reps} interleaved rounds, "
            f"load average {load_before[0]:.2f} -> {load_after[0]:.2f}"
        )
        for name, seconds in times.items():
            print(
                f"  {name:<14} median {medians[name] * 1000:8.1f} ms  "
                f"(min {min(seconds) * 1000:.1f} - max {max(seconds) * 1000:.1f})"
            )
        ratio = medians["python dedupe"] / medians["sql distinct"]
        print(f"  python dedupe / sql distinct: {ratio:.2f}x")
    finally:
        teardown_databases(state, verbosity=0)


def main() -> None:
    """Measure at each size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--books", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    for books in args.books:
        one_size(books, args.reps)


if __name__ == "__main__":
    main()
