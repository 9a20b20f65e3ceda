"""The write endpoints of the JSON API, on the shared router (``bookstore/api_routes.py``).

Every endpoint needs an authenticated user (an API token, or the site's session with its
CSRF token: ``bookstore/api_auth.py``); anything else gets 401 with ``WWW-Authenticate``.
Creating and changing books also needs the ``bookstore.add_book`` / ``bookstore.change_book``
permission (403 otherwise). Orders are in ``bookstore/api_orders.py``.

Bodies are the input DTOs of ``dtos.writes``: ninja validates them (and the path and headers)
before any query runs; the site API answers a failed validation with 400 and a message
(``bookstore/api.py``), as it does for query parameters. The repositories' refusals become:

=================================================  ======
``NotFound`` (the book in the URL)                 404
``ReferenceNotFound``, ``IdempotencyConflict``     422
``OutOfStock``, ``DuplicateIsbn``, ``WriteConflict``  409
the database connection failed mid-request          503
the database is busy, or the statement too slow     503 with ``Retry-After``
=================================================  ======

Each refusal wrote nothing. A 503 may come after a commit whose answer was lost, which is
what the ``Idempotency-Key`` header of ``POST /orders`` is for: retry with the same key.
"""

from collections.abc import Callable

from django.contrib.auth.models import PermissionsMixin
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest
from fetchplan import NotFound
from ninja import Status
from pydantic import BaseModel, ConfigDict

from bookstore.api_auth import API_AUTH
from bookstore.api_routes import RowId, routes
from bookstore.error_responses import DATABASE_UNAVAILABLE, database_refusal
from dtos.records import BookRecord, ReviewRecord
from dtos.writes import BookInput, BookPatch, ReviewInput
from repos import book_writes, reviews
from repos.write_errors import (
    DuplicateIsbn,
    IdempotencyConflict,
    OutOfStock,
    ReferenceNotFound,
    WriteConflict,
    WriteError,
)

__all__ = ["DATABASE_UNAVAILABLE", "ERROR_RESPONSES", "PERMISSION_DENIED", "Problem", "answer"]

PERMISSION_DENIED = "You do not have permission to {action}."


class Problem(BaseModel):
    """The body of every refusal: one sentence for a person."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    detail: str


type Answer[T] = Status[T | Problem]

REFUSALS: tuple[tuple[type[Exception], int], ...] = (
    (NotFound, 404),
    (ReferenceNotFound, 422),
    (IdempotencyConflict, 422),
    (OutOfStock, 409),
    (DuplicateIsbn, 409),
    (WriteConflict, 409),
)
ERROR_RESPONSES: dict[int, type[Problem]] = dict.fromkeys(
    (401, 403, 404, 409, 422, 429, 503), Problem
)


def answer[T](status: int, write: Callable[[], T]) -> Answer[T]:
    """Run ``write``; answer ``status`` and its result, or the refusal's status and ``Problem``."""
    try:
        return Status(status, write())
    except (NotFound, WriteError) as error:
        for kind, refusal_status in REFUSALS:
            if isinstance(error, kind):
                return Status(refusal_status, Problem(detail=str(error)))
        raise
    except (OperationalError, InterfaceError) as error:
        if database_refusal(error) is not None:
            raise  # busy, too slow or disconnected: a 503 with Retry-After (bookstore/api.py)
        return Status(503, Problem(detail=DATABASE_UNAVAILABLE))


def _require(request: HttpRequest, permission: str, action: str) -> Problem | None:
    user = getattr(request, "auth", None)  # ninja sets it to what the auth class returned
    if isinstance(user, PermissionsMixin) and user.has_perm(permission):
        return None
    return Problem(detail=PERMISSION_DENIED.format(action=action))


@routes.post(
    "/books", response={201: BookRecord, **ERROR_RESPONSES}, auth=API_AUTH, tags=["writes"]
)
def create_book(request: HttpRequest, payload: BookInput) -> Answer[BookRecord]:
    """Create a book."""
    if (denied := _require(request, "bookstore.add_book", "create books")) is not None:
        return Status(403, denied)
    return answer(201, lambda: book_writes.create_book(book=payload))


@routes.put(
    "/books/{book_id}",
    response={200: BookRecord, **ERROR_RESPONSES},
    auth=API_AUTH,
    tags=["writes"],
)
def replace_book(request: HttpRequest, book_id: RowId, payload: BookInput) -> Answer[BookRecord]:
    """Replace every field of a book."""
    if (denied := _require(request, "bookstore.change_book", "change books")) is not None:
        return Status(403, denied)
    return answer(200, lambda: book_writes.replace_book(book_id=book_id, book=payload))


@routes.patch(
    "/books/{book_id}",
    response={200: BookRecord, **ERROR_RESPONSES},
    auth=API_AUTH,
    tags=["writes"],
)
def patch_book(request: HttpRequest, book_id: RowId, payload: BookPatch) -> Answer[BookRecord]:
    """Change some fields of a book (``publisher_id: null`` removes the publisher)."""
    if (denied := _require(request, "bookstore.change_book", "change books")) is not None:
        return Status(403, denied)
    return answer(200, lambda: book_writes.patch_book(book_id=book_id, changes=payload))


@routes.post(
    "/books/{book_id}/reviews",
    response={201: ReviewRecord, **ERROR_RESPONSES},
    auth=API_AUTH,
    tags=["writes"],
)
def add_review(request: HttpRequest, book_id: RowId, payload: ReviewInput) -> Answer[ReviewRecord]:
    """Add a review to a book."""
    return answer(201, lambda: reviews.add_review(book_id=book_id, review=payload))
