"""Scenario 3: an author's page (the 10 latest books, each with its tags) for many authors.

The argument is a list of author ids; each variant loads one page per id, as a view would.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django_readers import pairs, specs

from bench.harness import Record, Variant, page_variants
from bench.scenarios import plans
from bench.scenarios.common import AUTHOR, BOOK, BOOK_TAGS, TAG, day, fetchall
from bookstore.models import Author, Book

LATEST = plans.LATEST_BOOKS
BOOK_ORDER = ("-published", "id")  # the layer appends the primary key to every order


def _page(author: Author, books: list[Book]) -> dict[str, Any]:
    return {
        "id": author.id,
        "name": author.name,
        "books": [
            {
                "id": book.id,
                "title": book.title,
                "published": book.published,
                "tags": [tag.name for tag in book.tags.all()],
            }
            for book in books
        ],
    }


def naive(ids: list[int]) -> list[dict[str, Any]]:
    """``get()``, a sliced related manager, then each book's tags: 2 + 1 per book queries."""
    return [
        _page(author, list(author.books.order_by(*BOOK_ORDER)[:LATEST]))
        for author in (Author.objects.get(pk=pk) for pk in ids)
    ]


def hand_tuned(ids: list[int]) -> list[dict[str, Any]]:
    """A sliced ``Prefetch`` of books with their tags prefetched: 3 queries a page."""
    latest = Prefetch(
        "books",
        queryset=Book.objects.order_by(*BOOK_ORDER).prefetch_related("tags")[:LATEST],
        to_attr="latest",
    )
    queryset = Author.objects.prefetch_related(latest)
    return [_page(author, author.latest) for author in (queryset.get(pk=pk) for pk in ids)]


READERS_PREPARE, READERS_PROJECT = specs.process(
    [
        "id",
        "name",
        {
            "books": pairs.reverse_relationship(
                "books",
                "author",
                Book.objects.order_by(*BOOK_ORDER)[:LATEST],
                specs.process(["id", "title", "published", {"tags": ["name"]}]),
                to_attr="latest_books",  # Django needs to_attr for a sliced Prefetch
            )
        },
    ]
)


def readers(ids: list[int]) -> list[dict[str, Any]]:
    """A django-readers spec, one page per id."""
    return [READERS_PROJECT(READERS_PREPARE(Author.objects.filter(pk=pk)).get()) for pk in ids]


FLOOR_AUTHOR = f"SELECT id, name FROM {AUTHOR} WHERE id = %s"  # noqa: S608 (model metadata)
_LATEST_BOOKS = f"""
    SELECT id FROM {BOOK} WHERE author_id = %s ORDER BY published DESC, id LIMIT {LATEST}
"""  # noqa: S608
FLOOR_BOOKS = f"""
    SELECT id, title, published FROM {BOOK} WHERE author_id = %s
    ORDER BY published DESC, id LIMIT {LATEST}
"""  # noqa: S608
FLOOR_TAGS = f"""
    SELECT bt.book_id, t.name FROM {BOOK_TAGS} bt INNER JOIN {TAG} t ON t.id = bt.tag_id
    WHERE bt.book_id IN ({_LATEST_BOOKS}) ORDER BY t.name
"""  # noqa: S608


def floor(ids: list[int]) -> list[tuple[Any, ...]]:
    """Three hand-written queries a page through the cursor, ``fetchall()`` only."""
    return [
        (fetchall(FLOOR_AUTHOR, (pk,)), fetchall(FLOOR_BOOKS, (pk,)), fetchall(FLOOR_TAGS, (pk,)))
        for pk in ids
    ]


# -- records (untimed) -----------------------------------------------------------------------


def _book(value: Any) -> Record:
    if isinstance(value, dict):
        tags = tuple(t if isinstance(t, str) else t["name"] for t in value["tags"])
        return (value["id"], value["title"], day(value["published"]), tags)
    return (value.id, value.title, day(value.published), tuple(value.tags))


def _from_pages(output: object) -> list[Record]:
    assert isinstance(output, list)
    return [(p["id"], p["name"], tuple(_book(b) for b in p["books"])) for p in output]


def _from_dtos(output: object) -> list[Record]:
    assert isinstance(output, list)
    return [(d.id, d.name, tuple(_book(b) for b in d.books)) for d in output]


def _from_floor(output: object) -> list[Record]:
    assert isinstance(output, list)
    records: list[Record] = []
    for (author,), books, tag_rows in output:
        tags: defaultdict[int, list[str]] = defaultdict(list)
        for book_id, name in tag_rows:
            tags[book_id].append(name)
        pages = tuple((i, title, day(published), tuple(tags[i])) for i, title, published in books)
        records.append((author[0], author[1], pages))
    return records


def variants() -> list[Variant]:
    """Return the scenario's variants, the floor first (the reference for records)."""
    layers = {
        "layer": plans.AUTHOR_DETAIL,
        "layer_tuple": plans.AUTHOR_DETAIL_TUPLE,
        "layer_instances": plans.AUTHOR_DETAIL_INSTANCES,
    }
    return [
        Variant("floor", floor, _from_floor),
        Variant("naive", naive, _from_pages),
        Variant("hand_tuned", hand_tuned, _from_pages),
        Variant("readers", readers, _from_pages),
        *page_variants(layers, Author.objects.all(), _from_dtos),
    ]
