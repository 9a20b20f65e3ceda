"""Writes (and the one read the review form needs) of reviews."""

from django.db import IntegrityError, transaction
from fetchplan import Plan, fetch_one

from bookstore.models import Book, Review
from dtos.records import ReviewRecord, ReviewTarget
from dtos.writes import ReviewInput
from repos.ratings import lock_book_for_review, record_rating
from repos.write_errors import WriteConflict

__all__ = ["REVIEW_RECORD", "REVIEW_TARGET", "add_review", "get_review_target"]

REVIEW_RECORD = Plan(Review, ReviewRecord, name="review record")
REVIEW_TARGET = Plan(Book, ReviewTarget, name="review target")


def get_review_target(*, book_id: int) -> ReviewTarget:
    """Return the book a review form is for (1 query); raises ``NotFound``."""
    return fetch_one(REVIEW_TARGET, Book.objects.all(), pk=book_id)


def add_review(*, book_id: int, review: ReviewInput) -> ReviewRecord:
    """Add a review to book ``book_id`` and return it as stored.

    The book's stored rating (``repos/ratings.py``) changes in the same transaction, under
    the book's row lock. Raises ``NotFound`` if the book does not exist (nothing is written).

    Example::

        stored = add_review(book_id=7, review=ReviewInput(rating=5, body="Loved it."))
    """
    try:
        with transaction.atomic():
            locked = lock_book_for_review(book_id=book_id)  # raises NotFound
            row = Review.objects.create(book_id=book_id, **review.model_dump())
            record_rating(book_id=book_id, locked=locked, rating=review.rating)
            return fetch_one(REVIEW_RECORD, Review.objects.all(), pk=row.pk)
    except IntegrityError as error:  # the book was deleted concurrently
        raise WriteConflict from error
