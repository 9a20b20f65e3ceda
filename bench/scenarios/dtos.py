"""The benchmark's own DTOs (pydantic and NamedTuple), one set per scenario.

They live here, not in ``dtos/``, so the benchmark never collides with the bookstore's DTOs.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from fetchplan.dto import DTO

# -- scenario 1: list books ----------------------------------------------------------------


class BookRow(DTO):
    """A book in a listing: flat, with its tag names and review count."""

    id: int
    title: str
    price: Decimal
    author_name: str
    publisher_name: str | None
    tags: tuple[str, ...]
    review_count: int


class BookRowTuple(NamedTuple):
    """:class:`BookRow` as a NamedTuple."""

    id: int
    title: str
    price: Decimal
    author_name: str
    publisher_name: str | None
    tags: tuple[str, ...]
    review_count: int


# -- scenario 2: book detail ---------------------------------------------------------------


class AuthorRef(DTO):
    """An author, by id and name."""

    id: int
    name: str


class PublisherRef(DTO):
    """A publisher, by id and name."""

    id: int
    name: str


class ReviewItem(DTO):
    """One review of a book."""

    id: int
    rating: int
    created: datetime


class BookDetail(DTO):
    """A book page: author, publisher, tags, latest reviews."""

    id: int
    title: str
    price: Decimal
    published: date
    author: AuthorRef
    publisher: PublisherRef | None
    tags: tuple[str, ...]
    reviews: tuple[ReviewItem, ...]


class AuthorRefTuple(NamedTuple):
    """:class:`AuthorRef` as a NamedTuple."""

    id: int
    name: str


class PublisherRefTuple(NamedTuple):
    """:class:`PublisherRef` as a NamedTuple."""

    id: int
    name: str


class ReviewItemTuple(NamedTuple):
    """:class:`ReviewItem` as a NamedTuple."""

    id: int
    rating: int
    created: datetime


class BookDetailTuple(NamedTuple):
    """:class:`BookDetail` as a NamedTuple."""

    id: int
    title: str
    price: Decimal
    published: date
    author: AuthorRefTuple
    publisher: PublisherRefTuple | None
    tags: tuple[str, ...]
    reviews: tuple[ReviewItemTuple, ...]


# -- scenario 3: author detail -------------------------------------------------------------


class AuthorBook(DTO):
    """One of an author's books, with its tags."""

    id: int
    title: str
    published: date
    tags: tuple[str, ...]


class AuthorDetail(DTO):
    """An author page: the latest books, each with tags."""

    id: int
    name: str
    books: tuple[AuthorBook, ...]


class AuthorBookTuple(NamedTuple):
    """:class:`AuthorBook` as a NamedTuple."""

    id: int
    title: str
    published: date
    tags: tuple[str, ...]


class AuthorDetailTuple(NamedTuple):
    """:class:`AuthorDetail` as a NamedTuple."""

    id: int
    name: str
    books: tuple[AuthorBookTuple, ...]


# -- scenario 4: export --------------------------------------------------------------------


class ExportBook(DTO):
    """A book's own columns, as exported to CSV."""

    id: int
    title: str
    isbn: str
    price: Decimal
    published: date
    author_id: int
    publisher_id: int | None


class ExportBookTuple(NamedTuple):
    """:class:`ExportBook` as a NamedTuple (written to CSV as it is)."""

    id: int
    title: str
    isbn: str
    price: Decimal
    published: date
    author_id: int
    publisher_id: int | None
