"""Scenario 1: list books with author name, publisher name, tag names and review count.

The argument is an id bound: the books with ``id <= bound`` (the first N books), in id order.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet
from django_readers import pairs, specs
from fetchplan import fetch_all

from bench.harness import Record, Variant
from bench.scenarios import plans
from bench.scenarios.common import AUTHOR, BOOK, BOOK_TAGS, PUBLISHER, REVIEW, TAG, fetchall, money
from bookstore.models import Book

NAIVE_MAX = 1000


def books(bound: int) -> QuerySet[Book]:
    """Return the books of the listing."""
    return Book.objects.filter(id__lte=bound).order_by("id")


def naive(bound: int) -> list[dict[str, Any]]:
    """Loop over model instances and follow relations lazily: 1 + ~4 queries per book."""
    return [
        {
            "id": book.id,
            "title": book.title,
            "price": book.price,
            "author_name": book.author.name,
            "publisher_name": book.publisher.name if book.publisher else None,
            "tags": tuple(tag.name for tag in book.tags.all()),
            "review_count": book.reviews.count(),
        }
        for book in books(bound)
    ]


def hand_tuned(bound: int) -> list[dict[str, Any]]:
    """``select_related`` + ``prefetch_related`` + ``annotate``, then the same dicts: 2 queries."""
    queryset = (
        books(bound)
        .select_related("author", "publisher")
        .prefetch_related("tags")
        .annotate(review_count=Count("reviews"))
    )
    return [
        {
            "id": book.id,
            "title": book.title,
            "price": book.price,
            "author_name": book.author.name,
            "publisher_name": book.publisher.name if book.publisher else None,
            "tags": tuple(tag.name for tag in book.tags.all()),
            "review_count": book.review_count,
        }
        for book in queryset
    ]


READERS_PREPARE, READERS_PROJECT = specs.process(
    [
        "id",
        "title",
        "price",
        {"author": ["name"]},
        {"publisher": ["name"]},
        {"tags": ["name"]},
        {"review_count": pairs.count("reviews")},
    ]
)


def readers(bound: int) -> list[dict[str, Any]]:
    """A django-readers spec (its idiomatic form: relations are prefetched)."""
    return [READERS_PROJECT(book) for book in READERS_PREPARE(books(bound))]


FLOOR_BOOKS = f"""
    SELECT b.id, b.title, b.price, a.name, p.name, COUNT(r.id)
    FROM {BOOK} b
    INNER JOIN {AUTHOR} a ON a.id = b.author_id
    LEFT OUTER JOIN {PUBLISHER} p ON p.id = b.publisher_id
    LEFT OUTER JOIN {REVIEW} r ON r.book_id = b.id
    WHERE b.id <= %s
    GROUP BY b.id, b.title, b.price, a.name, p.name
    ORDER BY b.id
"""  # noqa: S608 (table names from model metadata)
FLOOR_TAGS = f"""
    SELECT bt.book_id, t.name FROM {BOOK_TAGS} bt INNER JOIN {TAG} t ON t.id = bt.tag_id
    WHERE bt.book_id <= %s ORDER BY bt.book_id, t.name
"""  # noqa: S608


def floor(bound: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Two hand-written queries through the cursor, ``fetchall()`` only: the floor."""
    return fetchall(FLOOR_BOOKS, (bound,)), fetchall(FLOOR_TAGS, (bound,))


# -- records (untimed) -----------------------------------------------------------------------


def _from_dicts(output: object) -> list[Record]:
    assert isinstance(output, list)
    return [
        (
            row["id"],
            row["title"],
            money(row["price"]),
            row["author_name"],
            row["publisher_name"],
            tuple(row["tags"]),
            row["review_count"],
        )
        for row in output
    ]


def _from_readers(output: object) -> list[Record]:
    assert isinstance(output, list)
    return _from_dicts(
        [
            {
                **row,
                "author_name": row["author"]["name"],
                "publisher_name": row["publisher"]["name"] if row["publisher"] else None,
                "tags": tuple(tag["name"] for tag in row["tags"]),
            }
            for row in output
        ]
    )


def _from_dtos(output: object) -> list[Record]:
    assert isinstance(output, list)
    return [
        (d.id, d.title, money(d.price), d.author_name, d.publisher_name, d.tags, d.review_count)
        for d in output
    ]


def _from_floor(output: object) -> list[Record]:
    assert isinstance(output, tuple)
    book_rows, tag_rows = output
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for book_id, name in tag_rows:
        tags[book_id].append(name)
    return [
        (id_, title, money(price), author, publisher, tuple(tags[id_]), reviews)
        for id_, title, price, author, publisher, reviews in book_rows
    ]


def variants() -> list[Variant]:
    """Return the scenario's variants, the floor first (the reference for records)."""
    return [
        Variant("floor", floor, _from_floor),
        Variant("naive", naive, _from_dicts, max_size=NAIVE_MAX),
        Variant("hand_tuned", hand_tuned, _from_dicts),
        Variant("readers", readers, _from_readers),
        Variant("layer", lambda b: fetch_all(plans.BOOK_ROW, books(b)), _from_dtos),
        Variant("layer_tuple", lambda b: fetch_all(plans.BOOK_ROW_TUPLE, books(b)), _from_dtos),
        Variant(
            "layer_instances", lambda b: fetch_all(plans.BOOK_ROW_INSTANCES, books(b)), _from_dtos
        ),
    ]


def bound_for(size: int) -> int:
    """Return the id bound that selects the first ``size`` books."""
    ids = Book.objects.order_by("id").values_list("id", flat=True)
    return ids[size - 1]
