"""Bookstore rows for the observe tests (the tools are generic; these are just data)."""

import datetime
from decimal import Decimal

from bookstore.models import Author, Book, Review


def make_books(count: int, *, reviews_each: int = 0, prefix: str = "b") -> list[Book]:
    """Create ``count`` books, each with its own author and ``reviews_each`` reviews."""
    books = []
    for index in range(count):
        author = Author.objects.create(name=f"Author {prefix}{index}")
        book = Book.objects.create(
            title=f"Title {prefix}{index}",
            isbn=f"{prefix}{index:012d}"[-13:],
            price=Decimal("9.99"),
            published=datetime.date(2020, 1, 1),
            author=author,
        )
        for rating in range(reviews_each):
            Review.objects.create(book=book, rating=rating % 5 + 1, body="ok")
        books.append(book)
    return books
