"""DTOs for authors: pure data, no Django."""

from datetime import date
from decimal import Decimal

from fetchplan.dto import DTO, NotLoaded


class AuthorRef(DTO):
    """An author as other DTOs name it."""

    id: int
    name: str


class AuthorRow(DTO):
    """An author as the authors list shows it."""

    id: int
    name: str
    birth_year: int | None
    book_count: int


class AuthorBook(DTO):
    """One of an author's books, with its tag names."""

    id: int
    title: str
    price: Decimal
    published: date
    tags: tuple[str, ...] | NotLoaded


class AuthorDetail(DTO):
    """An author with their latest books (each with its tags)."""

    id: int
    name: str
    birth_year: int | None
    book_count: int
    books: tuple[AuthorBook, ...]


class AuthorPage(DTO):
    """One page of the authors list, and how many authors there are in all."""

    items: tuple[AuthorRow, ...]
    page: int
    pages: int
    total: int


class AuthorBooks(DTO):
    """An author with all their books (the flipped query of the pitfalls report)."""

    id: int
    name: str
    books: tuple[AuthorBook, ...]
