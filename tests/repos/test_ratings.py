"""The stored rating of a book: exact after every review write, also under concurrency, and
what the rating sort reads instead of averaging every book's reviews (issue 13, finding 7)."""

import importlib
import random
import threading
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Avg, Count, Sum
from fetchplan.observe import record_queries

from bookstore.models import Book, Review
from dtos.books import BookFilters
from dtos.writes import ReviewInput
from repos.books import list_books
from repos.expressions import FloatCast
from repos.ratings import AVERAGE_PLACES, stored_average
from repos.reviews import add_review
from tests.bookstore.data import seed
from tests.migrating import schema_editor
from tests.writes.concurrency import run_workers
from tests.writes.factories import make_book

WORKERS = 8
REVIEWS_EACH = 20


def stored(book_id: int) -> tuple[int, int, Decimal]:
    return Book.objects.values_list("rating_count", "rating_sum", "rating_average").get(pk=book_id)


def computed(book_id: int) -> tuple[int, int, Decimal]:
    sums = Review.objects.filter(book_id=book_id).aggregate(n=Count("id"), total=Sum("rating"))
    count, total = sums["n"], sums["total"] or 0
    return (count, total, stored_average(total=total, count=count))


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        (0, 0, "0"),
        (5, 1, "5.0000"),
        (14, 3, "4.6667"),
        (129, 32, "4.0312"),  # 4.03125: half-even keeps the even 2
        (131, 32, "4.0938"),  # 4.09375: half-even rounds the odd 7 up
    ],
)
def test_stored_average_is_rounded_half_even_to_4_places(
    total: int, count: int, expected: str
) -> None:
    assert stored_average(total=total, count=count) == Decimal(expected)


@pytest.mark.django_db
def test_each_review_updates_the_stored_rating() -> None:
    book = make_book()
    assert stored(book.pk) == (0, 0, Decimal(0))
    for rating in (5, 4, 4):
        add_review(book_id=book.pk, review=ReviewInput(rating=rating))
    assert stored(book.pk) == computed(book.pk) == (3, 13, Decimal("4.3333"))


@pytest.mark.django_db
def test_a_review_rolled_back_takes_its_rating_with_it() -> None:
    book = make_book()
    add_review(book_id=book.pk, review=ReviewInput(rating=2))

    def review_then_fail() -> None:
        with transaction.atomic():
            add_review(book_id=book.pk, review=ReviewInput(rating=5))
            raise RuntimeError("the caller's transaction fails after the review")

    with pytest.raises(RuntimeError):
        review_then_fail()
    assert stored(book.pk) == computed(book.pk) == (1, 2, Decimal(2))


@pytest.mark.django_db
def test_seeded_books_carry_their_reviews_rating() -> None:
    seed(60)
    for book_id in Book.objects.values_list("pk", flat=True):
        assert stored(book_id) == computed(book_id)
    assert Book.objects.filter(rating_count__gt=0).exists()


@pytest.mark.django_db
def test_the_migration_fills_the_rating_of_existing_books() -> None:
    seed(40)
    expected = {book_id: computed(book_id) for book_id in Book.objects.values_list("pk", flat=True)}
    Book.objects.update(rating_count=0, rating_sum=0, rating_average=Decimal(0))
    migration = importlib.import_module("bookstore.migrations.0003_book_ratings")
    migration.fill_ratings(apps, schema_editor())
    assert {book_id: stored(book_id) for book_id in expected} == expected


@pytest.mark.django_db
def test_the_rating_sort_reads_the_stored_column_not_the_reviews() -> None:
    seed(30)
    with record_queries() as recorder:
        page = list_books(filters=BookFilters(sort="-rating"), limit=10)
    assert len(page.items) == 10
    assert not any("bookstore_review" in sql for sql in recorder.sql), recorder.sql
    ratings = [row.average_rating or 0.0 for row in page.items]
    assert ratings == sorted(ratings, reverse=True)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_reviews_leave_the_exact_average() -> None:
    """8 threads x 20 reviews of one book at once: the stored count, sum and average equal
    the reviews table's own (PostgreSQL: row lock; SQLite: IMMEDIATE transactions)."""
    book = make_book()
    lock = threading.Lock()
    written: list[int] = []

    def review(_tally: object) -> None:
        rng = random.Random(threading.get_ident())
        for _ in range(REVIEWS_EACH):
            rating = rng.randint(1, 5)
            add_review(book_id=book.pk, review=ReviewInput(rating=rating))
            with lock:
                written.append(rating)

    tally = run_workers(workers=WORKERS, target=review)
    assert tally.unexpected == []
    assert len(written) == WORKERS * REVIEWS_EACH
    count, total, average = stored(book.pk)
    assert (count, total) == (len(written), sum(written))
    assert (count, total, average) == computed(book.pk)
    database_average = Review.objects.filter(book=book).aggregate(a=Avg(FloatCast("rating")))["a"]
    rounded = Decimal(repr(float(database_average))).quantize(AVERAGE_PLACES, ROUND_HALF_EVEN)
    assert average == rounded  # the database's AVG(), rounded the same way
