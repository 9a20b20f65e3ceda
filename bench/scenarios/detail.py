"""Scenario 2: the bookstore's book page, for many ids.

The argument is a list of book ids; each variant loads one page per id, as the view does, and
returns the pages in order. A page is the bookstore's ``BookDetail`` (``dtos/books.py``): the
book, its author and publisher, tag names, the 5 latest reviews, review count, average rating,
a count per star rating, and the stock on hand.

The layer is the bookstore's repository function ``repos.books.get_book`` itself; its NamedTuple
and instances variants run the same body over a twin plan (see :mod:`bench.scenarios.twins`).
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Avg, Count, Prefetch, Q
from django_readers import pairs, specs

from bench.harness import Record, Variant, page_variants
from bench.scenarios.common import (
    AUTHOR,
    BOOK,
    BOOK_COLUMNS,
    BOOK_TAGS,
    PUBLISHER,
    REVIEW,
    STOCK,
    TAG,
    fetch_pages,
    records,
)
from bench.scenarios.twins import layer_pages
from bookstore.models import Book, Review
from repos.books import BOOK_DETAIL, get_book
from repos.expressions import FloatCast

LATEST = 5  # the plan's Many(limit=5), which the baselines must match
REVIEW_ORDER = ("-created", "-id")
STARS = range(1, 6)
_REVIEW_FIELDS = ("id", "rating", "body", "created")
_STAR_COUNTS = {f"stars_{n}": Count("reviews", filter=Q(reviews__rating=n)) for n in STARS}


def _on_hand(book: Book) -> int | None:
    try:
        return book.stock.on_hand
    except ObjectDoesNotExist:  # a book without a stock row
        return None


def _page(book: Book, tags: list[str], latest: list[Review], counts: dict[str, Any]) -> Any:
    """Return a ``BookDetail``-shaped dict; ``counts`` holds the review count, average, stars."""
    return {
        "id": book.id,
        "title": book.title,
        "isbn": book.isbn,
        "price": book.price,
        "published": book.published,
        "author": {"id": book.author.id, "name": book.author.name},
        "publisher": (
            {"id": book.publisher.id, "name": book.publisher.name} if book.publisher else None
        ),
        "tags": tags,
        "reviews": [{key: getattr(review, key) for key in _REVIEW_FIELDS} for review in latest],
        "on_hand": _on_hand(book),
        **counts,
    }


def _counts(ratings: list[int]) -> dict[str, Any]:
    average = sum(ratings) / len(ratings) if ratings else None
    stars = {f"stars_{n}": ratings.count(n) for n in STARS}
    return {"review_count": len(ratings), "average_rating": average, **stars}


def naive(ids: list[int]) -> list[dict[str, Any]]:
    """``get()``, lazy loads, reviews counted in Python: 6 queries a page (5 if no publisher)."""
    pages = []
    for pk in ids:
        book = Book.objects.get(pk=pk)
        reviews = list(book.reviews.order_by(*REVIEW_ORDER))
        tags = [tag.name for tag in book.tags.all()]
        counts = _counts([review.rating for review in reviews])
        pages.append(_page(book, tags, reviews[:LATEST], counts))
    return pages


def hand_tuned(ids: list[int]) -> list[dict[str, Any]]:
    """``select_related``, ``annotate`` and a sliced ``Prefetch``: 3 queries a page."""
    latest = Prefetch(
        "reviews", queryset=Review.objects.order_by(*REVIEW_ORDER)[:LATEST], to_attr="latest"
    )
    queryset = (
        Book.objects.select_related("author", "publisher", "stock")
        .prefetch_related("tags", latest)
        .annotate(
            review_count=Count("reviews"),
            average_rating=Avg(FloatCast("reviews__rating")),
            **_STAR_COUNTS,
        )
    )
    pages = []
    for pk in ids:
        book = queryset.get(pk=pk)
        counts = {key: getattr(book, key) for key in ("review_count", "average_rating")}
        counts |= {key: getattr(book, key) for key in _STAR_COUNTS}
        pages.append(_page(book, [tag.name for tag in book.tags.all()], book.latest, counts))
    return pages


READERS_PREPARE, READERS_PROJECT = specs.process(
    [
        *BOOK_COLUMNS,
        {"author": ["id", "name"]},
        {"publisher": ["id", "name"]},
        {"tags": ["name"]},
        {
            "reviews": pairs.reverse_relationship(
                "reviews",
                "book",
                Review.objects.order_by(*REVIEW_ORDER)[:LATEST],
                specs.process(list(_REVIEW_FIELDS)),
                to_attr="latest_reviews",  # Django needs to_attr for a sliced Prefetch
            )
        },
        {"stock": ["on_hand"]},
        {"review_count": pairs.annotate(review_count=Count("reviews"))},
        {"average_rating": pairs.annotate(average_rating=Avg(FloatCast("reviews__rating")))},
        *({key: pairs.annotate(**{key: count})} for key, count in _STAR_COUNTS.items()),
    ]
)


def readers(ids: list[int]) -> list[dict[str, Any]]:
    """A django-readers spec, one page per id."""
    return [READERS_PROJECT(READERS_PREPARE(Book.objects.filter(pk=pk)).get()) for pk in ids]


_COUNT_COLUMNS = ", ".join(
    ["COUNT(r.id)", "AVG(r.rating * 1.0e0)"]  # a float on every server (MySQL: not DECIMAL)
    + [f"COUNT(CASE WHEN r.rating = {n} THEN 1 END)" for n in STARS]
)
FLOOR_BOOK = f"""
    SELECT b.id, b.title, b.isbn, b.price, b.published, a.id, a.name, p.id, p.name, s.on_hand,
           {_COUNT_COLUMNS}
    FROM {BOOK} b INNER JOIN {AUTHOR} a ON a.id = b.author_id
    LEFT OUTER JOIN {PUBLISHER} p ON p.id = b.publisher_id
    LEFT OUTER JOIN {STOCK} s ON s.book_id = b.id
    LEFT OUTER JOIN {REVIEW} r ON r.book_id = b.id
    WHERE b.id = %s
    GROUP BY b.id, b.title, b.isbn, b.price, b.published, a.id, a.name, p.id, p.name, s.on_hand
"""  # noqa: S608 (table names and numbers from this module)
FLOOR_TAGS = f"""
    SELECT t.name FROM {BOOK_TAGS} bt INNER JOIN {TAG} t ON t.id = bt.tag_id
    WHERE bt.book_id = %s ORDER BY t.name
"""  # noqa: S608
FLOOR_REVIEWS = f"""
    SELECT {", ".join(_REVIEW_FIELDS)} FROM {REVIEW} WHERE book_id = %s
    ORDER BY created DESC, id DESC LIMIT {LATEST}
"""  # noqa: S608


def floor(ids: list[int]) -> list[tuple[Any, ...]]:
    """Three hand-written queries a page through the cursor, ``fetchall()`` only."""
    return fetch_pages(ids, (FLOOR_BOOK, FLOOR_TAGS, FLOOR_REVIEWS))


# -- records (untimed) -----------------------------------------------------------------------


def _from_readers(output: object) -> list[Record]:
    assert isinstance(output, list)
    return records(
        {
            **{key: value for key, value in page.items() if key != "stock"},
            "tags": [tag["name"] for tag in page["tags"]],
            "on_hand": page["stock"]["on_hand"] if page["stock"] else None,
        }
        for page in output
    )


def _from_floor(output: object) -> list[Record]:
    assert isinstance(output, list)
    pages = []
    for (book,), tags, reviews in output:
        id_, title, isbn, price, published, author_id, author, publisher_id, publisher = book[:9]
        on_hand, review_count, average, *stars = book[9:]
        pages.append(
            {
                "id": id_,
                "title": title,
                "isbn": isbn,
                "price": price,
                "published": published,
                "author": {"id": author_id, "name": author},
                "publisher": {"id": publisher_id, "name": publisher} if publisher_id else None,
                "tags": [name for (name,) in tags],
                "reviews": [dict(zip(_REVIEW_FIELDS, row, strict=True)) for row in reviews],
                "on_hand": on_hand,
                "review_count": review_count,
                "average_rating": average,
                **{f"stars_{n}": count for n, count in zip(STARS, stars, strict=True)},
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
        *page_variants(layer_pages(get_book, BOOK_DETAIL, Book.objects.all()), records),
    ]
