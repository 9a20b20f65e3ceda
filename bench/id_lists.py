"""Time a child statement by parent ids two ways: a placeholder per id, or one array (PostgreSQL).

The plan's tag statement of ``repos.books.BOOK_ROW`` for the first N books' ids, through
Django's cursor (psycopg binds client-side): ``book_id IN (%s, %s, ...)``, as Django writes an
``__in`` list, against ``book_id = ANY(%s)``, as the engine writes it on PostgreSQL
(``fetchplan.plan.querysets.AnyOf``). Two more for reference: the same books selected by a
subquery (``book_id IN (SELECT id FROM book WHERE id <= %s)``, as the engine does for more
than ``FEW_PARENTS`` parents of an unsliced queryset), and the list floor's own statement
(``bt.book_id <= %s``: one range of the link table's index, which the engine cannot write for
an arbitrary filter). All return the same rows (checked first); rounds alternate; medians and
min-max. Usage, on a fixture ``make bench`` builds::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_books_100000_<id> \\
        python -m bench.id_lists [--sizes 100,1000,2000] [--rounds 15]
"""

import argparse
import statistics
import time
from typing import Any

from bench.standalone import setup_django


def _statement(ids: str) -> str:
    from bench.scenarios.common import BOOK_TAGS, TAG

    return (
        f"SELECT bt.book_id, t.name FROM {TAG} t INNER JOIN {BOOK_TAGS} bt ON t.id = bt.tag_id "  # noqa: S608 (table names from model metadata)
        f"WHERE bt.book_id {ids} ORDER BY bt.book_id, t.name, t.id"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="100,1000,2000")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    setup_django()
    from bench.scenarios.common import BOOK, fetchall
    from bench.scenarios.listing import FLOOR_TAGS
    from bookstore.models import Book

    for size in map(int, args.sizes.split(",")):
        ids = list(Book.objects.order_by("id").values_list("id", flat=True)[:size])
        ways: dict[str, tuple[str, list[Any]]] = {
            "placeholders": (_statement("IN (" + ", ".join(["%s"] * size) + ")"), ids),
            "array": (_statement("= ANY(%s)"), [ids]),
            "subquery": (_statement(f"IN (SELECT b.id FROM {BOOK} b WHERE b.id <= %s)"), [ids[-1]]),  # noqa: S608 (a table name from model metadata)
            "floor": (FLOOR_TAGS, [ids[-1]]),
        }
        first, *others = (
            [row[:2] for row in fetchall(sql, params)] for sql, params in ways.values()
        )
        assert all(other == first for other in others), "the statements return different rows"
        times: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.rounds):
            for name, (sql, params) in ways.items():
                started = time.perf_counter()
                fetchall(sql, params)
                times[name].append((time.perf_counter() - started) * 1000)
        medians = {name: statistics.median(values) for name, values in times.items()}
        line = "  ".join(
            f"{name} {medians[name]:.2f} ms ({min(values):.2f}-{max(values):.2f})"
            for name, values in times.items()
        )
        print(f"{size:>6} ids, {len(first)} rows: {line}  array/placeholders "
              f"{medians['array'] / medians['placeholders']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
