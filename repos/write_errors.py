"""Errors the writes raise, each with its message as a constant the tests import.

Every write error means "nothing was written". The HTTP edge maps them to status codes
(``bookstore/api_writes.py``): a reference to a row that does not exist is a 422 (the body is
wrong, not the URL), a clash with the current state (stock, ISBN, a retried key) is a 409 or
422. ``fetchplan.plan.NotFound`` stays the error of a missing *target* (a 404).
"""

__all__ = [
    "DUPLICATE_ISBN",
    "IDEMPOTENCY_CONFLICT",
    "OUT_OF_STOCK",
    "REFERENCE_NOT_FOUND",
    "WRITE_CONFLICT",
    "DuplicateIsbn",
    "IdempotencyConflict",
    "OutOfStock",
    "ReferenceNotFound",
    "WriteConflict",
    "WriteError",
]

REFERENCE_NOT_FOUND = "{model} {id} does not exist."
DUPLICATE_ISBN = "A book with ISBN {isbn} already exists."
OUT_OF_STOCK = (
    "Not enough stock for book {book_id} ({title!r}): {requested} requested, {available} available."
)
IDEMPOTENCY_CONFLICT = (
    "Idempotency-Key {key!r} was already used for a different request; "
    "use a new key for a new order."
)
WRITE_CONFLICT = "The write conflicted with a concurrent change; nothing was written. Retry it."


class WriteError(Exception):
    """A write was refused; nothing was written. ``str(error)`` is the client's message."""


class ReferenceNotFound(WriteError):
    """The input names a row (author, publisher, customer, book) that does not exist."""

    def __init__(self, *, model: str, id: int) -> None:
        self.model = model
        self.id = id
        super().__init__(REFERENCE_NOT_FOUND.format(model=model, id=id))


class DuplicateIsbn(WriteError):
    """Another book already has this ISBN."""

    def __init__(self, *, isbn: str) -> None:
        self.isbn = isbn
        super().__init__(DUPLICATE_ISBN.format(isbn=isbn))


class OutOfStock(WriteError):
    """A line of an order asks for more copies than are on hand; names the book."""

    def __init__(self, *, book_id: int, title: str, requested: int, available: int) -> None:
        self.book_id = book_id
        self.title = title
        self.requested = requested
        self.available = available
        super().__init__(
            OUT_OF_STOCK.format(
                book_id=book_id, title=title, requested=requested, available=available
            )
        )


class IdempotencyConflict(WriteError):
    """An idempotency key was reused for a request that asks for something else."""

    def __init__(self, *, key: str) -> None:
        self.key = key
        super().__init__(IDEMPOTENCY_CONFLICT.format(key=key))


class WriteConflict(WriteError):
    """A constraint failed because of a concurrent change (e.g. a referenced row was deleted)."""

    def __init__(self) -> None:
        super().__init__(WRITE_CONFLICT)
