"""Test data: seeded bookstores of a given size, and ids picked from them."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Count

from bookstore.models import Author, Book

SMALL = 10
LARGE = 1000


def seed(books: int, *, seed: int = 1) -> None:
    """Seed ``books`` books (with authors, publishers, tags, reviews, stock)."""
    call_command("seed", books=books, seed=seed, verbosity=0)


class Picked:
    """Ids picked by a setup, for the measured function to use (ids differ between sizes)."""

    def __init__(self) -> None:
        self.book_id = 0
        self.author_id = 0
        self.author_name = ""
        self.tag = ""
        self.title_word = ""

    def seeder(self, books: int) -> Callable[[], None]:
        """Return a setup seeding ``books`` books; it picks the top author's first book.

        The picked book matches ``tag``, ``title_word`` and ``author_id``.
        """

        def setup() -> None:
            seed(books)
            author = Author.objects.annotate(n=Count("books")).order_by("-n", "id").first()
            assert author is not None
            book = Book.objects.filter(author=author).order_by("id").first()
            assert book is not None
            self.book_id, self.author_id, self.author_name = book.pk, author.pk, author.name
            self.tag = book.tags.order_by("name").values_list("name", flat=True)[0]
            self.title_word = book.title.split()[-1]

        return setup


def make_book(title: str, *, isbn: str, author: Author | None = None, price: str = "10") -> Book:
    """Create one book by hand (a fresh author unless given)."""
    author = author or Author.objects.create(name=f"Author of {title}")
    return Book.objects.create(
        title=title, isbn=isbn, price=Decimal(price), published=date(2020, 1, 1), author=author
    )
