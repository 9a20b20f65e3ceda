"""Scenario 1: list books as the bookstore's list page, API and CSV export show them.

Every variant returns the bookstore's ``BookRow`` (``dtos/books.py``) for the books with
``id <= bound`` (the first N books), in id order: the book's columns, author id and name,
publisher name, tag names by name, review count and average rating.

The review count and average come from the book's stored rating columns (``rating_count``,
``rating_sum``, kept by ``repos/ratings.py``), as the bookstore's plan reads them: the floor's
query is the plan's own statement written by hand, and hand-tuned Django and django-readers
read the same columns, so every variant asks the database for the same work and the ratios
measure what each spends above it. (Until 2026-12-01 the floor, hand-tuned Django and
django-readers grouped the reviews instead, a slower query than the plan's: ratios to that
floor understated the layer's overhead; ``docs/performance.md`` says which results used it.)

The layer runs the bookstore's own plan, ``repos.books.BOOK_ROW``, over that queryset; not
``list_books()``, which pages through at most ``limit`` rows in a reader's sort order behind a
keyset cursor, while this scenario measures the plan over whole ranges of up to 100,000 books.
"""

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django_readers import pairs, qs, specs
from fetchplan import Strategy, fetch_all
from fetchplan.plan.querysets import few_parents

from bench.harness import Record, Variant
from bench.scenarios.common import (
    AUTHOR,
    BOOK,
    BOOK_COLUMNS,
    BOOK_TAGS,
    PUBLISHER,
    TAG,
    fetchall,
    records,
)
from bench.scenarios.twins import namedtuple_plan
from bookstore.models import Book
from repos.books import BOOK_ROW

NAIVE_MAX = 1000
BOOK_ROW_TUPLE = namedtuple_plan(BOOK_ROW)
BOOK_ROW_INSTANCES = BOOK_ROW.with_strategy(Strategy.INSTANCES)


def books(bound: int) -> QuerySet[Book]:
    """Return the books of the listing."""
    return Book.objects.filter(id__lte=bound).order_by("id")


def average_rating(book: Book) -> float | None:
    """Return the book's average rating from its stored count and sum (None without reviews)."""
    return book.rating_sum / book.rating_count if book.rating_count else None


def _row(book: Book, *, tags: list[str], reviews: int, average: float | None) -> dict[str, Any]:
    """Return a ``BookRow``-shaped dict of ``book``, following its author and publisher."""
    return {
        "id": book.id,
        "title": book.title,
        "isbn": book.isbn,
        "price": book.price,
        "published": book.published,
        "author_id": book.author_id,
        "author_name": book.author.name,
        "publisher_name": book.publisher.name if book.publisher else None,
        "tags": tags,
        "review_count": reviews,
        "average_rating": average,
    }


def naive(bound: int) -> list[dict[str, Any]]:
    """Loop over model instances and follow relations lazily: 1 + ~4 queries per book."""
    rows = []
    for book in books(bound):
        ratings = [review.rating for review in book.reviews.all()]
        average = sum(ratings) / len(ratings) if ratings else None
        tags = [tag.name for tag in book.tags.all()]
        rows.append(_row(book, tags=tags, reviews=len(ratings), average=average))
    return rows


def hand_tuned(bound: int) -> list[dict[str, Any]]:
    """``select_related`` + ``prefetch_related``, the stored rating read: 2 queries."""
    queryset = books(bound).select_related("author", "publisher").prefetch_related("tags")
    return [
        _row(
            book,
            tags=[tag.name for tag in book.tags.all()],
            reviews=book.rating_count,
            average=average_rating(book),
        )
        for book in queryset
    ]


READERS_PREPARE, READERS_PROJECT = specs.process(
    [
        *BOOK_COLUMNS,
        "author_id",
        {"author": ["name"]},
        {"publisher": ["name"]},
        {"tags": ["name"]},
        {"review_count": pairs.field("rating_count")},
        {"average_rating": (qs.include_fields("rating_count", "rating_sum"), average_rating)},
    ]
)


def readers(bound: int) -> list[dict[str, Any]]:
    """A django-readers spec (its idiomatic form: relations are prefetched)."""
    return [READERS_PROJECT(book) for book in READERS_PREPARE(books(bound))]


# The plan's first statement (``explain(BOOK_ROW)``) by hand: the stored count, and the average
# as the stored sum cast to a double over the count. MySQL/MariaDB's CAST has DOUBLE and no
# DOUBLE PRECISION; SQLite and PostgreSQL read DOUBLE PRECISION as their double.
FLOOR_BOOKS = f"""
    SELECT b.id, b.title, b.isbn, b.price, b.published, b.author_id, a.name, p.name,
           b.rating_count,
           CASE WHEN b.rating_count = 0 THEN NULL
                ELSE CAST(b.rating_sum AS {{double}}) / b.rating_count END
    FROM {BOOK} b
    INNER JOIN {AUTHOR} a ON a.id = b.author_id
    LEFT OUTER JOIN {PUBLISHER} p ON p.id = b.publisher_id
    WHERE b.id <= %s
    ORDER BY b.id
"""  # noqa: S608 (table names from model metadata)
FLOOR_TAGS = f"""
    SELECT bt.book_id, t.name FROM {BOOK_TAGS} bt INNER JOIN {TAG} t ON t.id = bt.tag_id
    WHERE bt.book_id <= %s ORDER BY bt.book_id, t.name
"""  # noqa: S608


def floor_books_sql(vendor: str) -> str:
    """Return the floor's book statement in ``vendor``'s SQL (its name for a double cast)."""
    return FLOOR_BOOKS.format(double="DOUBLE" if vendor == "mysql" else "DOUBLE PRECISION")


def floor(bound: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Two hand-written queries through the cursor, ``fetchall()`` only: the floor."""
    return fetchall(floor_books_sql(connection.vendor), (bound,)), fetchall(FLOOR_TAGS, (bound,))


# The plan's tag statement (``explain(BOOK_ROW)``): the engine cannot turn a caller's filter on
# books into the floor's ``bt.book_id <= %s``, so it selects the tags' parents by the books'
# ids (when ``few_parents()``, the engine's own rule; on PostgreSQL as one array parameter) or
# by a subquery of the caller's queryset.
_PLAN_TAGS = f"""
    SELECT bt.book_id, t.name FROM {TAG} t INNER JOIN {BOOK_TAGS} bt ON t.id = bt.tag_id
    WHERE bt.book_id IN ({{parents}}) ORDER BY bt.book_id, t.name, t.id
"""  # noqa: S608
_PLAN_TAGS_ANY = _PLAN_TAGS.replace("IN ({parents})", "= ANY(%s)")
_PARENTS_BY_SUBQUERY = f"SELECT b.id FROM {BOOK} b WHERE b.id <= %s"  # noqa: S608


def plan_sql(bound: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The plan's own two statements through the cursor, ``fetchall()`` only.

    Not a floor: its tag statement is the engine's generic one, slower in the database than
    the floor's at some sizes. The layer against it is the layer's own cost (converting,
    grouping, building DTOs); it against the floor is what the generic statement costs.
    """
    book_rows = fetchall(floor_books_sql(connection.vendor), (bound,))
    if few_parents(len(book_rows), connection.alias):
        ids = [row[0] for row in book_rows]
        if connection.vendor == "postgresql":  # one array parameter (querysets.AnyOf)
            return book_rows, fetchall(_PLAN_TAGS_ANY, (ids,))
        parents = ", ".join(["%s"] * len(ids))
        return book_rows, fetchall(_PLAN_TAGS.format(parents=parents), ids)
    return book_rows, fetchall(_PLAN_TAGS.format(parents=_PARENTS_BY_SUBQUERY), (bound,))


# -- records (untimed) -----------------------------------------------------------------------

_FLOOR_COLUMNS = (
    "id", "title", "isbn", "price", "published", "author_id", "author_name", "publisher_name",
    "review_count", "average_rating",
)  # fmt: skip


def _from_readers(output: object) -> list[Record]:
    assert isinstance(output, list)
    return records(
        {
            **{key: value for key, value in row.items() if key not in ("author", "publisher")},
            "author_name": row["author"]["name"],
            "publisher_name": row["publisher"]["name"] if row["publisher"] else None,
            "tags": [tag["name"] for tag in row["tags"]],
        }
        for row in output
    )


def _from_floor(output: object) -> list[Record]:
    assert isinstance(output, tuple)
    book_rows, tag_rows = output
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for book_id, name in tag_rows:
        tags[book_id].append(name)
    rows = [dict(zip(_FLOOR_COLUMNS, row, strict=True)) for row in book_rows]
    return records({**row, "tags": tags[row["id"]]} for row in rows)


def variants() -> list[Variant]:
    """Return the scenario's variants, the floor first (the reference for records)."""
    return [
        Variant("floor", floor, _from_floor),
        Variant("plan_sql", plan_sql, _from_floor),
        Variant("naive", naive, records, max_size=NAIVE_MAX),
        Variant("hand_tuned", hand_tuned, records),
        Variant("readers", readers, _from_readers),
        Variant("layer", lambda b: fetch_all(BOOK_ROW, books(b)), records),
        Variant("layer_tuple", lambda b: fetch_all(BOOK_ROW_TUPLE, books(b)), records),
        Variant("layer_instances", lambda b: fetch_all(BOOK_ROW_INSTANCES, books(b)), records),
    ]


def bound_for(size: int) -> int:
    """Return the id bound that selects the first ``size`` books."""
    ids = Book.objects.order_by("id").values_list("id", flat=True)
    return ids[size - 1]
