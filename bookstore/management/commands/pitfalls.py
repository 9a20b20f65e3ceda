"""``manage.py pitfalls``: run each classic Django ORM pitfall on this database, measured.

For each pitfall it runs the naive code, plain-Django fixes where they teach something, and the
layer's way, and prints each one's query count, time (best of ``--repeat`` runs) and, where
memory is the point, the traced peak (tracemalloc, in a separate run so tracing does not slow
the timed one). Nothing is hard-coded: every number is measured when the command runs.

This command imports models on purpose: the naive variants *are* the model code the layer
replaces.
"""

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any, override

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from fetchplan import fetch_all, stream
from fetchplan.observe import no_queries

from bookstore.management.commands._measure import Pitfall, Variant, measure
from bookstore.models import Author, Book, Review
from bookstore.services.authors import author_name_length
from dtos.books import BookFilters, BookRow
from repos.authors import get_author_books
from repos.books import (
    BOOK_ROW,
    RECENT_BOOK,
    book_exists,
    count_books,
    list_bylines,
    list_good_reviews,
)

# -- the pitfalls ------------------------------------------------------------------------------


def pitfalls(limit: int) -> list[Pitfall]:
    """Return the pitfalls; loops over books look at the first ``limit`` books by id."""

    def first() -> QuerySet[Book]:  # a fresh queryset per run: a cached one would run 0 queries
        return Book.objects.order_by("id")[:limit]

    everything = BookFilters()
    authors = Author.objects.annotate(n=Count("books")).order_by("-n", "id")
    top_author = authors.values_list("id", flat=True).first() or 0
    good = Review.objects.filter(rating__gte=4)

    def name_length_of_model(book: Book) -> int:  # the service's function, given a model
        return len(book.author.name)

    def name_lengths_of_dtos() -> int:
        books = list_bylines(limit=limit)
        with no_queries():  # proof: the service cannot query
            return sum(author_name_length(book.author) for book in books)

    def duplicated_authors() -> str:
        books = list(Book.objects.filter(author_id=top_author).select_related("author"))
        return f"{len(books)} books, {len({id(b.author) for b in books})} author objects"

    def flipped() -> str:
        return f"{len(get_author_books(top_author).books)} books, 1 author object"

    def filtered_per_book() -> int:
        return sum(
            b.reviews.filter(rating__gte=4).count() for b in first().prefetch_related("reviews")
        )

    def filtered_in_python() -> int:
        books = first().prefetch_related("reviews")
        return sum(sum(r.rating >= 4 for r in b.reviews.all()) for b in books)

    def filtered_by_prefetch() -> int:
        books = first().prefetch_related(Prefetch("reviews", good, to_attr="good"))
        return sum(len(b.good) for b in books)

    def joined() -> int:
        return _rows(first().select_related("author", "publisher").prefetch_related("tags"))

    return [
        Pitfall(
            "book.author.id vs book.author_id",
            (
                Variant(
                    "naive",
                    "book.author.id (loads each author)",
                    lambda: sum(b.author.id for b in first()),
                ),
                Variant(
                    "layer",
                    "book.author_id (the loaded column)",
                    lambda: sum(b.author_id for b in first()),
                ),
            ),
            naive_queries_more=True,
        ),
        Pitfall(
            "len(qs) vs qs.count() vs qs.exists()",
            (
                Variant("naive", "len(Book.objects.all())", lambda: len(Book.objects.all()), True),
                Variant(
                    "layer",
                    "count_books(): COUNT(*)",
                    lambda: count_books(filters=everything),
                    True,
                ),
                Variant(
                    "layer", "book_exists(): LIMIT 1", lambda: book_exists(filters=everything), True
                ),
            ),
            naive_queries_more=False,
        ),
        Pitfall(
            "model instances vs values()",
            (
                Variant(
                    "naive", "list(Book.objects.all())", lambda: len(list(Book.objects.all())), True
                ),
                Variant(
                    "django",
                    "list(qs.values(id, title, price))",
                    lambda: len(list(Book.objects.values("id", "title", "price"))),
                    True,
                ),
                Variant(
                    "layer",
                    "fetch_all(RECENT_BOOK): DTOs + author",
                    lambda: len(fetch_all(RECENT_BOOK, Book.objects.all())),
                    True,
                ),
            ),
            naive_queries_more=False,
        ),
        Pitfall(
            "looping over a cached queryset vs iterator()",
            (
                Variant(
                    "naive",
                    "for b in qs (caches every row)",
                    lambda: _loop(Book.objects.all()),
                    True,
                ),
                Variant(
                    "django",
                    "for b in qs.iterator(chunk_size=2000)",
                    lambda: _loop(Book.objects.iterator(chunk_size=2000)),
                    True,
                ),
                Variant(
                    "layer",
                    "stream(RECENT_BOOK): DTO chunks of 2000",
                    lambda: _loop(stream(RECENT_BOOK, Book.objects.order_by("id"))),
                    True,
                ),
            ),
            naive_queries_more=False,
        ),
        Pitfall(
            "N+1 vs select_related / prefetch_related",
            (
                Variant("naive", "author, publisher, tags per book", lambda: _rows(first())),
                Variant("django", "select_related + prefetch_related", joined),
                Variant(
                    "layer",
                    "fetch_all(BOOK_ROW, first books)",
                    lambda: _row_lengths(fetch_all(BOOK_ROW, first())),
                ),
            ),
            naive_queries_more=True,
        ),
        Pitfall(
            "filtering a prefetched relation vs a Prefetch object",
            (
                Variant("naive", "prefetch, then .filter() per book", filtered_per_book, True),
                Variant("django", "prefetch all, filter in Python", filtered_in_python, True),
                Variant("django", "Prefetch(queryset=rating >= 4)", filtered_by_prefetch, True),
                Variant(
                    "layer",
                    "list_good_reviews(): Many(filter=...)",
                    lambda: sum(len(b.reviews) for b in list_good_reviews(limit=limit)),
                    True,
                ),
            ),
            naive_queries_more=True,
        ),
        Pitfall(
            "select_related duplicates vs flipping the query",
            (
                Variant("naive", "top author's books, select_related", duplicated_authors, True),
                Variant("layer", "get_author_books(): one author, books", flipped, True),
            ),
            naive_queries_more=False,
        ),
        Pitfall(
            "a function that takes a model vs one that takes a DTO",
            (
                Variant(
                    "naive",
                    "author_name_length(book model)",
                    lambda: sum(name_length_of_model(b) for b in first()),
                ),
                Variant("layer", "author_name_length(dto), list_bylines()", name_lengths_of_dtos),
            ),
            naive_queries_more=True,
        ),
    ]


def _row_lengths(rows: Iterable[BookRow]) -> int:
    return sum(len(r.author_name) + len(r.publisher_name or "") + len(r.tags) for r in rows)


def _loop[T](rows: Iterable[T]) -> int:
    return sum(1 for _ in rows)


def _rows(books: Iterable[Book]) -> int:
    return sum(
        len(b.author.name) + len(b.publisher.name if b.publisher else "") + len(b.tags.all())
        for b in books
    )


# -- the command -------------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Run the classic Django ORM pitfalls on this database: naive vs the layer."

    @override
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="books the loops visit")
        parser.add_argument("--repeat", type=int, default=3, help="timed runs (best is kept)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    @override
    def handle(self, *args: Any, **options: Any) -> None:
        limit, repeat = options["limit"], options["repeat"]
        books = Book.objects.count()
        results = [
            (pitfall, [measure(v, repeat=repeat) for v in pitfall.variants])
            for pitfall in pitfalls(limit)
        ]
        header = {
            "database": connection.vendor,
            "books": books,
            "loop_books": min(limit, books),
        }
        if options["json"]:
            data = {
                **header,
                "pitfalls": [
                    {
                        "title": pitfall.title,
                        "naive_queries_more": pitfall.naive_queries_more,
                        "variants": [asdict(m) for m in measured],
                    }
                    for pitfall, measured in results
                ],
            }
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(
            f"Pitfalls on {header['database']}: {books:,} books; loops visit the first "
            f"{header['loop_books']:,}. Time: best of {repeat}. Peak: tracemalloc, separate run."
        )
        row = "{:<7} {:<42} {:>8} {:>10} {:>11}  {}"
        for number, (pitfall, measured) in enumerate(results, start=1):
            self.stdout.write(f"\n{number}. {pitfall.title}")
            self.stdout.write(row.format("", "", "queries", "ms", "peak KiB", "result"))
            for m in measured:
                peak = "-" if m.peak_kib is None else f"{m.peak_kib:,.0f}"
                self.stdout.write(
                    row.format(m.role, m.label, m.queries, f"{m.ms:,.1f}", peak, m.result)
                )
