"""DTOs for books: pure data, no Django.

``BookFilters`` is the one description of "which books, in which order" that the HTML page,
the JSON API and the CSV export share; pydantic validates it at the HTTP edge.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from fetchplan.dto import DTO
from pydantic import Field, model_validator

from dtos.authors import AuthorRef
from dtos.publishers import PublisherRef
from dtos.reads import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_SEARCH_LENGTH,
    QueryId,
    SearchText,
    TagName,
)

__all__ = [  # the page-size constants are re-exported: callers import them from here
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "MAX_SEARCH_LENGTH",
    "SORT_KEYS",
    "BookByline",
    "BookDetail",
    "BookFilters",
    "BookPage",
    "BookReviews",
    "BookRow",
    "BookSummary",
    "ReviewDTO",
    "SortKey",
]

SortKey = Literal[
    "title", "-title", "price", "-price", "published", "-published", "rating", "-rating"
]
SORT_KEYS: tuple[SortKey, ...] = (
    "title",
    "-title",
    "price",
    "-price",
    "published",
    "-published",
    "rating",
    "-rating",
)
PRICE_RANGE_REVERSED = "price_min must not be greater than price_max."


class BookFilters(DTO):
    """Which books to list and in which order (``-`` sorts descending); all optional."""

    tag: TagName | None = None
    author: QueryId | None = None
    publisher: QueryId | None = None
    price_min: Decimal | None = Field(default=None, ge=0, max_digits=8, decimal_places=2)
    price_max: Decimal | None = Field(default=None, ge=0, max_digits=8, decimal_places=2)
    q: SearchText | None = None
    sort: SortKey = "title"

    @model_validator(mode="after")
    def _price_range_in_order(self) -> "BookFilters":
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_min > self.price_max
        ):
            raise ValueError(PRICE_RANGE_REVERSED)
        return self


class BookSummary(DTO):
    """A book as the home page lists it."""

    id: int
    title: str
    price: Decimal
    published: date
    author_id: int
    author_name: str


class BookRow(DTO):
    """A book as the list, the API and the CSV export show it."""

    id: int
    title: str
    isbn: str
    price: Decimal
    published: date
    author_id: int
    author_name: str
    publisher_name: str | None
    tags: tuple[str, ...]
    review_count: int
    average_rating: float | None


class BookPage(DTO):
    """One page of books and the cursors of the next and previous pages.

    ``next_cursor`` is None on the last page, ``prev_cursor`` on the first.
    """

    items: tuple[BookRow, ...]
    next_cursor: str | None
    prev_cursor: str | None


class ReviewDTO(DTO):
    """A reader's review."""

    id: int
    rating: int
    body: str
    created: datetime


class BookDetail(DTO):
    """A book with everything its page shows.

    ``stars_1`` .. ``stars_5`` count the reviews of each rating (the rating summary's input);
    ``on_hand`` is None when the book has no stock row.
    """

    id: int
    title: str
    isbn: str
    price: Decimal
    published: date
    author: AuthorRef
    publisher: PublisherRef | None
    tags: tuple[str, ...]
    reviews: tuple[ReviewDTO, ...]
    review_count: int
    average_rating: float | None
    stars_1: int
    stars_2: int
    stars_3: int
    stars_4: int
    stars_5: int
    on_hand: int | None


class BookByline(DTO):
    """A book's title and its author: what a byline needs."""

    id: int
    title: str
    author: AuthorRef


class BookReviews(DTO):
    """A book with some of its reviews (which ones is the plan's choice)."""

    id: int
    title: str
    reviews: tuple[ReviewDTO, ...]
