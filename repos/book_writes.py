"""Writes of books: create, replace (PUT) and change (PATCH), each in one transaction.

Inputs are validated DTOs (``dtos.writes``); the references they name are checked here, in
the transaction, so an unknown author is a ``ReferenceNotFound`` and not a foreign-key error.
"""

from django.db import IntegrityError, transaction
from fetchplan import NotFound, Plan, fetch_one

from bookstore.models import Author, Book, Publisher
from dtos.records import BookRecord
from dtos.writes import BookInput, BookPatch
from repos.write_errors import DuplicateIsbn, ReferenceNotFound, WriteConflict

__all__ = ["BOOK_RECORD", "create_book", "patch_book", "replace_book"]

BOOK_RECORD = Plan(Book, BookRecord, name="book record")


def create_book(*, book: BookInput) -> BookRecord:
    """Create a book and return it as stored.

    Raises ``ReferenceNotFound`` (unknown author or publisher) or ``DuplicateIsbn``; nothing
    is written then.

    Example::

        created = create_book(book=BookInput(title="Dune", isbn="9780441013593",
                                             price=Decimal("9.99"), published=date(1965, 8, 1),
                                             author_id=1))
    """
    try:
        with transaction.atomic():
            _check_references(author_id=book.author_id, publisher_id=book.publisher_id)
            _check_isbn_free(isbn=book.isbn, book_id=None)
            row = Book.objects.create(**book.model_dump())
            return fetch_one(BOOK_RECORD, Book.objects.all(), pk=row.pk)
    except IntegrityError as error:
        raise _explain(error, isbn=book.isbn, book_id=None) from error


def replace_book(*, book_id: int, book: BookInput) -> BookRecord:
    """Replace every field of book ``book_id`` (PUT); return it as stored.

    Raises ``NotFound`` (no such book), ``ReferenceNotFound`` or ``DuplicateIsbn``.
    """
    return _update(book_id=book_id, fields=book.model_dump())


def patch_book(*, book_id: int, changes: BookPatch) -> BookRecord:
    """Change the fields of book ``book_id`` that ``changes`` carries (PATCH).

    Raises ``NotFound``, ``ReferenceNotFound`` or ``DuplicateIsbn``.
    """
    return _update(book_id=book_id, fields=changes.changes())


def _update(*, book_id: int, fields: dict[str, object]) -> BookRecord:
    isbn = fields.get("isbn")
    try:
        with transaction.atomic():
            author_id = fields.get("author_id")
            publisher_id = fields.get("publisher_id")
            _check_references(
                author_id=author_id if isinstance(author_id, int) else None,
                publisher_id=publisher_id if isinstance(publisher_id, int) else None,
            )
            if isinstance(isbn, str):
                _check_isbn_free(isbn=isbn, book_id=book_id)
            # select_for_update: a concurrent PATCH of the same book waits, then applies on top.
            if not Book.objects.select_for_update().filter(pk=book_id).exists():
                raise NotFound("Book", {"pk": book_id})
            Book.objects.filter(pk=book_id).update(**fields)
            return fetch_one(BOOK_RECORD, Book.objects.all(), pk=book_id)
    except IntegrityError as error:
        raise _explain(error, isbn=isbn if isinstance(isbn, str) else None, book_id=book_id) from (
            error
        )


def _check_references(*, author_id: int | None, publisher_id: int | None) -> None:
    if author_id is not None and not Author.objects.filter(pk=author_id).exists():
        raise ReferenceNotFound(model="Author", id=author_id)
    if publisher_id is not None and not Publisher.objects.filter(pk=publisher_id).exists():
        raise ReferenceNotFound(model="Publisher", id=publisher_id)


def _check_isbn_free(*, isbn: str, book_id: int | None) -> None:
    others = Book.objects.filter(isbn=isbn)
    if book_id is not None:
        others = others.exclude(pk=book_id)
    if others.exists():
        raise DuplicateIsbn(isbn=isbn)


def _explain(error: IntegrityError, *, isbn: str | None, book_id: int | None) -> Exception:
    """Turn a constraint failure a concurrent writer caused into the error it means."""
    if isbn is not None:
        others = Book.objects.filter(isbn=isbn)
        if book_id is not None:
            others = others.exclude(pk=book_id)
        if others.exists():
            return DuplicateIsbn(isbn=isbn)
    return WriteConflict()
