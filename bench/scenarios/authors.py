"""Scenario 3: the bookstore's author page, for many authors.

The argument is a list of author ids; each variant loads one page per id, as the view does. A
page is the bookstore's ``AuthorDetail`` (``dtos/authors.py``): the author, their book count,
and their 10 latest books, each with its price and tag names.

The layer is the bookstore's repository function ``repos.authors.get_author`` itself; its
NamedTuple and instances variants run the same body over a twin plan (see
:mod:`bench.scenarios.twins`).
"""

from collections import defaultdict
from typing import Any

from django.db.models import Count, Prefetch
from django_readers import pairs, specs

from bench.harness import Record, Variant, page_variants
from bench.scenarios.common import AUTHOR, BOOK, BOOK_TAGS, TAG, fetch_pages, records
from bench.scenarios.twins import layer_pages
from bookstore.models import Author, Book
from repos.authors import AUTHOR_DETAIL, LATEST_BOOKS, get_author

BOOK_ORDER = ("-published", "-id")
_BOOK_FIELDS = ("id", "title", "price", "published")


def _page(author: Author, book_count: int, books: list[Book]) -> dict[str, Any]:
    """Return an ``AuthorDetail``-shaped dict; reads each book's tags from ``book.tags``."""
    return {
        "id": author.id,
        "name": author.name,
        "birth_year": author.birth_year,
        "book_count": book_count,
        "books": [
            {
                **{key: getattr(book, key) for key in _BOOK_FIELDS},
                "tags": [tag.name for tag in book.tags.all()],
            }
            for book in books
        ],
    }


def naive(ids: list[int]) -> list[dict[str, Any]]:
    """``get()``, a count, a sliced related manager, each book's tags: 3 + 1 per book queries."""
    pages = []
    for pk in ids:
        author = Author.objects.get(pk=pk)
        latest = list(author.books.order_by(*BOOK_ORDER)[:LATEST_BOOKS])
        pages.append(_page(author, author.books.count(), latest))
    return pages


def hand_tuned(ids: list[int]) -> list[dict[str, Any]]:
    """A count annotation and a sliced ``Prefetch`` of books with their tags: 3 queries a page."""
    latest = Prefetch(
        "books",
        queryset=Book.objects.order_by(*BOOK_ORDER).prefetch_related("tags")[:LATEST_BOOKS],
        to_attr="latest",
    )
    queryset = Author.objects.annotate(book_count=Count("books")).prefetch_related(latest)
    return [
        _page(author, author.book_count, author.latest)
        for author in (queryset.get(pk=pk) for pk in ids)
    ]


READERS_PREPARE, READERS_PROJECT = specs.process(
    [
        "id",
        "name",
        "birth_year",
        {"book_count": pairs.annotate(book_count=Count("books"))},
        {
            "books": pairs.reverse_relationship(
                "books",
                "author",
                Book.objects.order_by(*BOOK_ORDER)[:LATEST_BOOKS],
                specs.process([*_BOOK_FIELDS, {"tags": ["name"]}]),
                to_attr="latest_books",  # Django needs to_attr for a sliced Prefetch
            )
        },
    ]
)


def readers(ids: list[int]) -> list[dict[str, Any]]:
    """A django-readers spec, one page per id."""
    return [READERS_PROJECT(READERS_PREPARE(Author.objects.filter(pk=pk)).get()) for pk in ids]


FLOOR_AUTHOR = f"""
    SELECT a.id, a.name, a.birth_year, (SELECT COUNT(*) FROM {BOOK} b WHERE b.author_id = a.id)
    FROM {AUTHOR} a WHERE a.id = %s
"""  # noqa: S608 (table names from model metadata)
_LATEST = f"""
    FROM {BOOK} WHERE author_id = %s ORDER BY published DESC, id DESC LIMIT {LATEST_BOOKS}
"""
FLOOR_BOOKS = f"SELECT {', '.join(_BOOK_FIELDS)} {_LATEST}"
# A derived table, not IN (subquery): MariaDB and MySQL refuse LIMIT inside IN (...).
FLOOR_TAGS = f"""
    SELECT bt.book_id, t.name FROM {BOOK_TAGS} bt INNER JOIN {TAG} t ON t.id = bt.tag_id
    INNER JOIN (SELECT id {_LATEST}) latest ON latest.id = bt.book_id ORDER BY t.name
"""  # noqa: S608


def floor(ids: list[int]) -> list[tuple[Any, ...]]:
    """Three hand-written queries a page through the cursor, ``fetchall()`` only."""
    return fetch_pages(ids, (FLOOR_AUTHOR, FLOOR_BOOKS, FLOOR_TAGS))


# -- records (untimed) -----------------------------------------------------------------------


def _from_readers(output: object) -> list[Record]:
    assert isinstance(output, list)
    return records(
        {
            **page,
            "books": [
                {**book, "tags": [tag["name"] for tag in book["tags"]]} for book in page["books"]
            ],
        }
        for page in output
    )


def _from_floor(output: object) -> list[Record]:
    assert isinstance(output, list)
    pages = []
    for ((author_id, name, birth_year, book_count),), book_rows, tag_rows in output:
        tags: defaultdict[int, list[str]] = defaultdict(list)
        for book_id, tag in tag_rows:
            tags[book_id].append(tag)
        books = [dict(zip(_BOOK_FIELDS, row, strict=True)) for row in book_rows]
        pages.append(
            {
                "id": author_id,
                "name": name,
                "birth_year": birth_year,
                "book_count": book_count,
                "books": [{**book, "tags": tags[book["id"]]} for book in books],
            }
        )
    return records(pages)


def variants() -> list[Variant]:
    """Return the scenario's variants, the floor first (the reference for records)."""
    return [
        Variant("floor", floor, _from_floor),
        Variant("naive", naive, records),
        Variant("hand_tuned", hand_tuned, records),
        Variant("readers", readers, _from_readers),
        *page_variants(layer_pages(get_author, AUTHOR_DETAIL, Author.objects.all()), records),
    ]
