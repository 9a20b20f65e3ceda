"""Scenario 2: a book's page (author, publisher, tags, 5 latest reviews) for many ids.

The argument is a list of book ids; each variant loads one page per id, as a view would,
and returns the pages in order.
"""

from typing import Any

from django.db.models import Prefetch
from django_readers import pairs, specs

from bench.harness import Record, Variant, page_variants
from bench.scenarios import plans
from bench.scenarios.common import (
    AUTHOR,
    BOOK,
    BOOK_TAGS,
    PUBLISHER,
    REVIEW,
    TAG,
    day,
    fetchall,
    money,
)
from bookstore.models import Book, Review

LATEST = plans.LATEST_REVIEWS
REVIEW_ORDER = ("-created", "id")  # the layer appends the primary key to every order


def _page(book: Book, tags: list[str], reviews: list[Review]) -> dict[str, Any]:
    return {
        "id": book.id,
        "title": book.title,
        "price": book.price,
        "published": book.published,
        "author": {"id": book.author.id, "name": book.author.name},
        "publisher": (
            {"id": book.publisher.id, "name": book.publisher.name} if book.publisher else None
        ),
        "tags": tags,
        "reviews": [{"id": r.id, "rating": r.rating, "created": r.created} for r in reviews],
    }


def naive(ids: list[int]) -> list[dict[str, Any]]:
    """``get()`` then lazy relations: 5 queries a page (4 without a publisher)."""
    pages = []
    for pk in ids:
        book = Book.objects.get(pk=pk)
        tags = [tag.name for tag in book.tags.all()]
        pages.append(_page(book, tags, list(book.reviews.order_by(*REVIEW_ORDER)[:LATEST])))
    return pages


def hand_tuned(ids: list[int]) -> list[dict[str, Any]]:
    """``select_related`` + ``prefetch_related`` with a sliced ``Prefetch``: 3 queries a page."""
    latest = Prefetch(
        "reviews", queryset=Review.objects.order_by(*REVIEW_ORDER)[:LATEST], to_attr="latest"
    )
    queryset = Book.objects.select_related("author", "publisher").prefetch_related("tags", latest)
    pages = []
    for pk in ids:
        book = queryset.get(pk=pk)
        pages.append(_page(book, [tag.name for tag in book.tags.all()], book.latest))
    return pages


READERS_PREPARE, READERS_PROJECT = specs.process(
    [
        "id",
        "title",
        "price",
        "published",
        {"author": ["id", "name"]},
        {"publisher": ["id", "name"]},
        {"tags": ["name"]},
        {
            "reviews": pairs.reverse_relationship(
                "reviews",
                "book",
                Review.objects.order_by(*REVIEW_ORDER)[:LATEST],
                specs.process(["id", "rating", "created"]),
                to_attr="latest_reviews",  # Django needs to_attr for a sliced Prefetch
            )
        },
    ]
)


def readers(ids: list[int]) -> list[dict[str, Any]]:
    """A django-readers spec, one page per id."""
    return [READERS_PROJECT(READERS_PREPARE(Book.objects.filter(pk=pk)).get()) for pk in ids]


FLOOR_BOOK = f"""
    SELECT b.id, b.title, b.price, b.published, a.id, a.name, p.id, p.name
    FROM {BOOK} b INNER JOIN {AUTHOR} a ON a.id = b.author_id
    LEFT OUTER JOIN {PUBLISHER} p ON p.id = b.publisher_id WHERE b.id = %s
"""  # noqa: S608 (table names from model metadata)
FLOOR_TAGS = f"""
    SELECT t.name FROM {BOOK_TAGS} bt INNER JOIN {TAG} t ON t.id = bt.tag_id
    WHERE bt.book_id = %s ORDER BY t.name
"""  # noqa: S608
FLOOR_REVIEWS = f"""
    SELECT id, rating, created FROM {REVIEW} WHERE book_id = %s
    ORDER BY created DESC, id LIMIT {LATEST}
"""  # noqa: S608


def floor(ids: list[int]) -> list[tuple[Any, ...]]:
    """Three hand-written queries a page through the cursor, ``fetchall()`` only."""
    return [
        (fetchall(FLOOR_BOOK, (pk,)), fetchall(FLOOR_TAGS, (pk,)), fetchall(FLOOR_REVIEWS, (pk,)))
        for pk in ids
    ]


# -- records (untimed) -----------------------------------------------------------------------


def _ref(value: Any) -> tuple[Any, ...] | None:
    if value is None:
        return None
    return (value["id"], value["name"]) if isinstance(value, dict) else (value.id, value.name)


def _from_pages(output: object) -> list[Record]:
    assert isinstance(output, list)
    return [
        (
            p["id"],
            p["title"],
            money(p["price"]),
            day(p["published"]),
            _ref(p["author"]),
            _ref(p["publisher"]),
            tuple(t if isinstance(t, str) else t["name"] for t in p["tags"]),
            tuple((r["id"], r["rating"]) for r in p["reviews"]),
        )
        for p in output
    ]


def _from_dtos(output: object) -> list[Record]:
    assert isinstance(output, list)
    return [
        (
            d.id,
            d.title,
            money(d.price),
            day(d.published),
            _ref(d.author),
            _ref(d.publisher),
            tuple(d.tags),
            tuple((r.id, r.rating) for r in d.reviews),
        )
        for d in output
    ]


def _from_floor(output: object) -> list[Record]:
    assert isinstance(output, list)
    records: list[Record] = []
    for (book,), tags, reviews in output:
        id_, title, price, published, author_id, author, publisher_id, publisher = book
        records.append(
            (
                id_,
                title,
                money(price),
                day(published),
                (author_id, author),
                (publisher_id, publisher) if publisher_id is not None else None,
                tuple(name for (name,) in tags),
                tuple((r[0], r[1]) for r in reviews),
            )
        )
    return records


def variants() -> list[Variant]:
    """Return the scenario's variants, the floor first (the reference for records)."""
    layers = {
        "layer": plans.BOOK_DETAIL,
        "layer_tuple": plans.BOOK_DETAIL_TUPLE,
        "layer_instances": plans.BOOK_DETAIL_INSTANCES,
    }
    return [
        Variant("floor", floor, _from_floor),
        Variant("naive", naive, _from_pages),
        Variant("hand_tuned", hand_tuned, _from_pages),
        Variant("readers", readers, _from_pages),
        *page_variants(layers, Book.objects.all(), _from_dtos),
    ]
