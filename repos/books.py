"""Reads of books: the list (filters, sort, keyset pages), the detail page, counts, the export.

Each function's plan sits above it and its query budget is pinned by ``@query_budget`` and by
``tests/repos/test_books.py``.
"""

from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
from fetchplan import (
    Load,
    Plan,
    afetch_all,
    afetch_one,
    count,
    exists,
    fetch_all,
    fetch_one,
    stream,
)
from fetchplan.observe import query_budget

from bookstore.models import Book
from dtos.books import (
    DEFAULT_PAGE_SIZE,
    BookByline,
    BookDetail,
    BookFilters,
    BookPage,
    BookReviews,
    BookRow,
    BookSummary,
)
from repos.cursors import Cursor, InvalidCursor, decode_cursor, encode_cursor
from repos.ratings import AVERAGE_PLACES

RECENT_BOOK = Plan(
    Book, BookSummary, fields={"author_id": "author_id", "author_name": "author__name"}
)

# The review count and average come from the book's stored rating (repos/ratings.py): a page
# reads columns instead of aggregating reviews. The average shown is sum / count, as AVG()
# gives it; the rating sort uses the stored rounded average, which has an index.
BOOK_ROW = Plan(
    Book,
    BookRow,
    fields={
        "author_id": "author_id",
        "author_name": "author__name",
        "publisher_name": "publisher__name",
        "review_count": "rating_count",
        "average_rating": Case(
            When(rating_count=0, then=Value(None)),
            default=Cast("rating_sum", FloatField()) / F("rating_count"),
            output_field=FloatField(),
        ),
    },
    relations={"tags": Load(scalar="name", order_by=("name",))},
)

BOOK_DETAIL = Plan(
    Book,
    BookDetail,
    fields={
        "review_count": Count("reviews"),
        "average_rating": Avg("reviews__rating"),
        **{f"stars_{n}": Count("reviews", filter=Q(reviews__rating=n)) for n in range(1, 6)},
        "on_hand": "stock__on_hand",
    },
    relations={
        "author": Load(),  # One(Plan(Author, AuthorRef)): kind and plan from the annotation
        "publisher": Load(),
        "tags": Load(scalar="name", order_by=("name",)),
        "reviews": Load(order_by=("-created", "-id"), limit=5),  # tuple[...]: Many
    },
)

BYLINE = Plan(Book, BookByline, relations={"author": Load()})


def good_reviews_plan(min_rating: int) -> Plan[Book, BookReviews]:
    """Return the plan of books with their reviews rated ``min_rating`` or more."""
    good = Q(rating__gte=min_rating)
    return Plan(Book, BookReviews, relations={"reviews": Load(filter=good)})


GOOD_REVIEWS = good_reviews_plan(4)

# The column each sort reads; "rating" is the stored average rating, 0 without reviews.
SORT_COLUMNS = {
    "title": "title",
    "price": "price",
    "published": "published",
    "rating": "rating_average",
}


def filtered_books(filters: BookFilters) -> QuerySet[Book]:
    """Return the books matching ``filters``, unordered (runs no query).

    ``q`` matches titles case-insensitively as plain text: Django escapes ``%`` and ``_``.
    """
    books = Book.objects.all()
    if filters.tag is not None:
        tagged = Book.tags.through.objects.filter(book_id=OuterRef("pk"), tag__name=filters.tag)
        books = books.filter(Exists(tagged))
    if filters.author is not None:
        books = books.filter(author_id=filters.author)
    if filters.publisher is not None:
        books = books.filter(publisher_id=filters.publisher)
    if filters.price_min is not None:
        books = books.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        books = books.filter(price__lte=filters.price_max)
    if filters.q:
        books = books.filter(title__icontains=filters.q)
    return books


def sorted_books(filters: BookFilters) -> QuerySet[Book]:
    """Return ``filtered_books(filters)`` in the order of ``filters.sort``, ties broken by id."""
    books = filtered_books(filters)
    field, descending = _sort_field(filters.sort)
    column = SORT_COLUMNS[field]
    if descending:
        return books.order_by(F(column).desc(), "-id")
    return books.order_by(F(column).asc(), "id")


def _sort_field(sort: str) -> tuple[str, bool]:
    return sort.removeprefix("-"), sort.startswith("-")


def _beyond(books: QuerySet[Book], sort: str, cursor: Cursor) -> QuerySet[Book]:
    """Keep the rows after ``cursor`` in ``sort`` order, or before it for a backward cursor.

    Keyset: no OFFSET, index friendly.
    """
    field, descending = _sort_field(sort)
    column = SORT_COLUMNS[field]
    value = _cursor_value(field, cursor.value)
    beyond = "lt" if descending != cursor.backward else "gt"
    return books.filter(
        Q(**{f"{column}__{beyond}": value}) | Q(**{column: value, f"id__{beyond}": cursor.last_id})
    )


def _cursor_value(field: str, raw: str | float) -> Any:
    try:
        if field == "rating":  # a decimal string; cursors made before it was stored: a float
            return Decimal(str(raw)).quantize(AVERAGE_PLACES)
        if not isinstance(raw, str):
            raise ValueError(raw)
        if field == "price":
            return Decimal(raw)
        if field == "published":
            return date.fromisoformat(raw)
    except (ArithmeticError, ValueError) as exc:
        raise InvalidCursor(f"its {field} value is not valid") from exc
    return raw


def _sort_value(field: str, row: BookRow) -> str | float:
    if field == "rating":
        # The stored average is sum / count rounded half-even to 4 places; the row's float is
        # the nearest double to sum / count, whose shortest repr rounds the same way (a
        # quotient of small integers is never within 1e-16 of a rounding boundary it is not on).
        average = Decimal(repr(row.average_rating or 0.0))
        return str(average.quantize(AVERAGE_PLACES, rounding=ROUND_HALF_EVEN))
    if field == "price":
        return str(row.price)
    if field == "published":
        return row.published.isoformat()
    return row.title


def _edge_cursor(sort: str, row: BookRow, *, backward: bool = False) -> str:
    """Return the cursor that continues after ``row`` (before it, when ``backward``)."""
    field, _ = _sort_field(sort)
    return encode_cursor(
        sort=sort, value=_sort_value(field, row), last_id=row.id, backward=backward
    )


def _page_query(
    filters: BookFilters, cursor: str | None, limit: int
) -> tuple[QuerySet[Book], Cursor | None]:
    """Return the rows to read for one page (one past it) and the decoded cursor (no query).

    Raises ``InvalidCursor`` for a bad cursor.
    """
    books = sorted_books(filters)
    position = None if cursor is None else decode_cursor(cursor, sort=filters.sort)
    if position is not None:
        books = _beyond(books, filters.sort, position)
    backward = position is not None and position.backward
    return (books.reverse() if backward else books)[: limit + 1], position


def _book_page(rows: list[BookRow], sort: str, position: Cursor | None, limit: int) -> BookPage:
    """Return the page of ``rows`` read by ``_page_query`` (no query)."""
    backward = position is not None and position.backward
    more_beyond = len(rows) > limit  # one row past the page, in the direction read
    items = rows[:limit][::-1] if backward else rows[:limit]
    # Coming from a cursor, rows exist on the side it came from (its own row, at least).
    more_after = more_beyond if not backward else True
    more_before = more_beyond if backward else position is not None
    return BookPage(
        items=tuple(items),
        next_cursor=_edge_cursor(sort, items[-1]) if more_after and items else None,
        prev_cursor=(
            _edge_cursor(sort, items[0], backward=True) if more_before and items else None
        ),
    )


@query_budget(BOOK_ROW)
def list_books(
    *, filters: BookFilters, cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE
) -> BookPage:
    """Return one page of books matching ``filters``, and the cursors of its neighbours.

    2 queries (books with author, publisher and review aggregates; their tags), in either
    direction: a backward cursor (a page's ``prev_cursor``) reads the ``limit`` rows before its
    row in reverse order and returns them in sort order. Raises ``InvalidCursor`` for a cursor
    that is malformed, altered or made for another sort.

    Example::

        page = list_books(filters=BookFilters(tag="poetry", sort="-price"), limit=20)
        more = list_books(filters=BookFilters(tag="poetry", sort="-price"), cursor=page.next_cursor)
        back = list_books(filters=BookFilters(tag="poetry", sort="-price"), cursor=more.prev_cursor)
    """
    rows, position = _page_query(filters, cursor, limit)
    return _book_page(fetch_all(BOOK_ROW, rows), filters.sort, position, limit)


@query_budget(BOOK_ROW)
async def alist_books(
    *, filters: BookFilters, cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE
) -> BookPage:
    """Async ``list_books``: the same page, the same 2 queries (``afetch_all``).

    Example::

        page = await alist_books(filters=BookFilters(tag="poetry"), limit=20)
    """
    rows, position = _page_query(filters, cursor, limit)
    return _book_page(await afetch_all(BOOK_ROW, rows), filters.sort, position, limit)


@query_budget(1)
def count_books(*, filters: BookFilters) -> int:
    """Return how many books match ``filters`` (1 query, ``COUNT(*)``, loads no row).

    Example::

        count_books(filters=BookFilters(q="night"))  # -> 12
    """
    return count(filtered_books(filters))


@query_budget(1)
def book_exists(*, filters: BookFilters) -> bool:
    """Return True if at least one book matches ``filters`` (1 query, ``LIMIT 1``).

    Example::

        book_exists(filters=BookFilters(tag="poetry"))  # -> True
    """
    return exists(filtered_books(filters))


@query_budget(BOOK_DETAIL)
def get_book(book_id: int) -> BookDetail:
    """Return the book ``book_id`` with author, publisher, tags, 5 latest reviews and stock.

    3 queries (the book with its joins and rating counts; tags; reviews). Raises ``NotFound``.

    Example::

        book = get_book(42)
        book.author.name, book.reviews[0].rating
    """
    return fetch_one(BOOK_DETAIL, Book.objects.all(), pk=book_id)


@query_budget(BOOK_DETAIL)
async def aget_book(book_id: int) -> BookDetail:
    """Async ``get_book``: the same DTO, the same 3 queries. Raises ``NotFound``.

    Example::

        book = await aget_book(42)
    """
    return await afetch_one(BOOK_DETAIL, Book.objects.all(), pk=book_id)


@query_budget(RECENT_BOOK)
def list_recent_books(*, limit: int = 10) -> list[BookSummary]:
    """Return the ``limit`` most recently published books, newest first (1 query).

    Example::

        for book in list_recent_books(limit=5):
            print(book.title, book.author_name)
    """
    return fetch_all(RECENT_BOOK, Book.objects.order_by("-published", "-id")[:limit])


def stream_books(*, filters: BookFilters, chunk_size: int = 2000) -> Iterator[BookRow]:
    """Yield every book matching ``filters`` in sort order, in constant memory.

    Lazy: runs 1 query for the rows (a server-side cursor on PostgreSQL) plus 1 tag query per
    chunk of ``chunk_size`` books, as the caller iterates (not decorated with a budget: the
    work happens after this function returns).

    Example::

        for row in stream_books(filters=BookFilters(tag="poetry"), chunk_size=500):
            writer.writerow([row.id, row.title])
    """
    return stream(BOOK_ROW, sorted_books(filters), chunk_size=chunk_size)


@query_budget(BYLINE)
def list_bylines(*, limit: int = 100) -> list[BookByline]:
    """Return the first ``limit`` books by id with their authors (1 query, author joined).

    Example::

        [author_name_length(book.author) for book in list_bylines(limit=10)]
    """
    return fetch_all(BYLINE, Book.objects.order_by("id")[:limit])


@query_budget(GOOD_REVIEWS)
def list_good_reviews(*, limit: int = 100) -> list[BookReviews]:
    """Return the first ``limit`` books by id, each with its reviews rated 4 or 5 (2 queries).

    The filter runs in the database, per book, in the one reviews query.

    Example::

        [len(book.reviews) for book in list_good_reviews(limit=10)]
    """
    return fetch_all(GOOD_REVIEWS, Book.objects.order_by("id")[:limit])
