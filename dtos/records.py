"""Output DTOs of book and review writes: the rows as stored, pure data, no Django."""

from datetime import date, datetime
from decimal import Decimal

from fetchplan.dto import DTO

__all__ = ["BookRecord", "ReviewRecord", "ReviewTarget"]


class BookRecord(DTO):
    """A book as stored, with its author and publisher as ids."""

    id: int
    title: str
    isbn: str
    price: Decimal
    published: date
    author_id: int
    publisher_id: int | None


class ReviewRecord(DTO):
    """A review as stored."""

    id: int
    book_id: int
    rating: int
    body: str
    created: datetime


class ReviewTarget(DTO):
    """What the review form shows about the book under review."""

    id: int
    title: str
