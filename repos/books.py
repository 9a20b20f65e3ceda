"""Reads of books."""

from bookstore.models import Book
from dtos.books import BookSummary


def list_recent_books(*, limit: int = 10) -> list[BookSummary]:
    """Return the ``limit`` most recently published books, newest first (1 query).

    Example::

        for book in list_recent_books(limit=5):
            print(book.title, book.author_name)
    """
    rows = Book.objects.order_by("-published", "-id").values(
        "id", "title", "price", "published", "author__name"
    )[:limit]
    return [
        BookSummary(
            id=row["id"],
            title=row["title"],
            price=row["price"],
            published=row["published"],
            author_name=row["author__name"],
        )
        for row in rows
    ]
