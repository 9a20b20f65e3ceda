"""DTOs built by hand for service tests (no database)."""

from datetime import UTC, date, datetime
from decimal import Decimal

from fetchplan.dto import NotLoaded

from dtos.authors import AuthorBook, AuthorDetail, AuthorRef
from dtos.books import BookDetail, ReviewDTO


def book_detail(
    *,
    book_id: int = 1,
    price: str = "10.00",
    published: date = date(2024, 1, 1),
    stars: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0),
) -> BookDetail:
    """Return a BookDetail with ``stars[n-1]`` reviews of ``n`` stars."""
    total = sum(stars)
    average = sum((n + 1) * count for n, count in enumerate(stars)) / total if total else None
    review = ReviewDTO(id=1, rating=5, body="Good", created=datetime(2025, 1, 1, tzinfo=UTC))
    return BookDetail(
        id=book_id,
        title="A Book",
        isbn="9780000000001",
        price=Decimal(price),
        published=published,
        author=AuthorRef(id=1, name="Ada Larsen"),
        publisher=None,
        tags=("poetry",),
        reviews=(review,) if total else (),
        review_count=total,
        average_rating=average,
        stars_1=stars[0],
        stars_2=stars[1],
        stars_3=stars[2],
        stars_4=stars[3],
        stars_5=stars[4],
        on_hand=3,
    )


def author_book(
    book_id: int, *, tags: tuple[str, ...] | NotLoaded = (), year: int = 2020
) -> AuthorBook:
    """Return one of an author's books."""
    return AuthorBook(
        id=book_id,
        title=f"Book {book_id}",
        price=Decimal("12.00"),
        published=date(year, 6, 1),
        tags=tags,
    )


def author_detail(books: tuple[AuthorBook, ...]) -> AuthorDetail:
    """Return an author with ``books``."""
    return AuthorDetail(
        id=1, name="Ada Larsen", birth_year=1970, book_count=len(books), books=books
    )
