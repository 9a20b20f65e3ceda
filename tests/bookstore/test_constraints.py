"""The database itself rejects data that breaks the bookstore's rules."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bookstore.models import Author, Book, Review, Stock, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def book() -> Book:
    author = Author.objects.create(name="Ursula K. Le Guin", birth_year=1929)
    return Book.objects.create(
        title="The Dispossessed",
        isbn="9780061054884",
        price=Decimal("9.99"),
        published=dt.date(1974, 5, 1),
        author=author,
    )


def test_rating_above_5_is_rejected(book: Book) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(book=book, rating=6, body="too good")
    assert not Review.objects.exists()


def test_rating_0_is_rejected(book: Book) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(book=book, rating=0)


def test_ratings_1_to_5_are_accepted(book: Book) -> None:
    for rating in range(1, 6):
        Review.objects.create(book=book, rating=rating)
    assert Review.objects.count() == 5


def test_negative_price_is_rejected(book: Book) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.filter(pk=book.pk).update(price=Decimal("-0.01"))
    book.refresh_from_db()
    assert book.price == Decimal("9.99")


def test_negative_stock_is_rejected(book: Book) -> None:
    Stock.objects.create(book=book, on_hand=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(book=book).update(on_hand=-1)
    assert Stock.objects.get(book=book).on_hand == 0


def test_second_stock_row_for_a_book_is_rejected(book: Book) -> None:
    Stock.objects.create(book=book, on_hand=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.create(book=book, on_hand=4)


def test_duplicate_isbn_is_rejected(book: Book) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.create(
            title="Another title",
            isbn=book.isbn,
            price=Decimal(1),
            published=dt.date(2000, 1, 1),
            author=book.author,
        )
    assert Book.objects.count() == 1


def test_tag_names_compare_exactly_on_every_database() -> None:
    """Case and accents count (binary collation on MySQL/MariaDB, as SQLite and PostgreSQL)."""
    lower, upper = Tag.objects.create(name="adventure"), Tag.objects.create(name="ADVENTURE")
    Tag.objects.create(name="café")
    Tag.objects.create(name="cafe")
    assert Tag.objects.get(name="ADVENTURE") == upper
    assert Tag.objects.get(name="adventure") == lower
    assert Tag.objects.filter(name__startswith="caf").count() == 2


def test_a_tag_name_taken_exactly_is_rejected() -> None:
    Tag.objects.create(name="Adventure")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="Adventure")
