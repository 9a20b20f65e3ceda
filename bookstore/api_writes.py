"""The write endpoints of the JSON API, on the shared router (``bookstore/api_routes.py``).

Every endpoint needs an authenticated user (HTTP basic, or the Django session with its CSRF
token); anonymous writes get 401. Creating and changing books also needs the
``bookstore.add_book`` / ``bookstore.change_book`` permission (403 otherwise).

Bodies are the input DTOs of ``dtos.writes``: ninja validates them (and the path and headers)
before any query runs; the site API answers a failed validation with 400 and a message
(``bookstore/api.py``), as it does for query parameters. The repositories' refusals become:

=================================================  ======
``NotFound`` (the book in the URL)                 404
``ReferenceNotFound``, ``IdempotencyConflict``     422
``OutOfStock``, ``DuplicateIsbn``, ``WriteConflict``  409
the database connection failed mid-request          503
=================================================  ======

Each refusal wrote nothing. A 503 may come after a commit whose answer was lost, which is
what the ``Idempotency-Key`` header of ``POST /orders`` is for: retry with the same key.
"""

from collections.abc import Callable
from typing import Annotated, override

from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from fetchplan import NotFound
from ninja import Status
from ninja.params.functions import Header, Path
from ninja.security import HttpBasicAuth, django_auth
from pydantic import BaseModel, ConfigDict

from bookstore.api_routes import routes
from bookstore.error_responses import database_refusal
from dtos.orders import OrderDTO
from dtos.records import BookRecord, ReviewRecord
from dtos.writes import MAX_ID, BookInput, BookPatch, OrderInput, ReviewInput
from repos import book_writes, orders, reviews
from repos.write_errors import (
    DuplicateIsbn,
    IdempotencyConflict,
    OutOfStock,
    ReferenceNotFound,
    WriteConflict,
    WriteError,
)

__all__ = ["DATABASE_UNAVAILABLE", "PERMISSION_DENIED", "WRITE_AUTH", "BasicAuth", "Problem"]

DATABASE_UNAVAILABLE = (
    "The database connection failed; the request may not have completed. "
    "Retry it (orders: with the same Idempotency-Key)."
)
PERMISSION_DENIED = "You do not have permission to {action}."
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_CREDENTIAL = 256


class Problem(BaseModel):
    """The body of every refusal: one sentence for a person."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    detail: str


class BasicAuth(HttpBasicAuth):
    """HTTP basic authentication against ``django.contrib.auth`` (active users only)."""

    @override
    def authenticate(
        self, request: HttpRequest, username: str, password: str
    ) -> AbstractBaseUser | None:
        """Return the active user these credentials name, or None."""
        if not (_sane(username) and _sane(password)):
            return None  # a NUL byte would make PostgreSQL raise, not merely not match
        user = authenticate(request, username=username, password=password)
        return user if user is not None and user.is_active else None


def _sane(credential: str) -> bool:
    if len(credential) > MAX_CREDENTIAL or "\x00" in credential:
        return False
    try:
        credential.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


WRITE_AUTH = [BasicAuth(), django_auth]

BookId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        None,
        alias="Idempotency-Key",
        pattern=r"^[\x21-\x7e]{1,255}$",
        description="Retrying with the same key returns the same order instead of a new one.",
    ),
]
type Answer[T] = Status[T | Problem]

REFUSALS: tuple[tuple[type[Exception], int], ...] = (
    (NotFound, 404),
    (ReferenceNotFound, 422),
    (IdempotencyConflict, 422),
    (OutOfStock, 409),
    (DuplicateIsbn, 409),
    (WriteConflict, 409),
)
ERROR_RESPONSES: dict[int, type[Problem]] = dict.fromkeys((401, 403, 404, 409, 422, 503), Problem)


def _answer[T](status: int, write: Callable[[], T]) -> Answer[T]:
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
            raise  # busy or too slow: a 503 with Retry-After (bookstore/api.py)
        return Status(503, Problem(detail=DATABASE_UNAVAILABLE))


def _require(request: HttpRequest, permission: str, action: str) -> Problem | None:
    user = getattr(request, "auth", None)  # ninja sets it to what the auth class returned
    if isinstance(user, PermissionsMixin) and user.has_perm(permission):
        return None
    return Problem(detail=PERMISSION_DENIED.format(action=action))


@routes.post(
    "/books", response={201: BookRecord, **ERROR_RESPONSES}, auth=WRITE_AUTH, tags=["writes"]
)
def create_book(request: HttpRequest, payload: BookInput) -> Answer[BookRecord]:
    """Create a book."""
    if (denied := _require(request, "bookstore.add_book", "create books")) is not None:
        return Status(403, denied)
    return _answer(201, lambda: book_writes.create_book(book=payload))


@routes.put(
    "/books/{book_id}",
    response={200: BookRecord, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["writes"],
)
def replace_book(request: HttpRequest, book_id: BookId, payload: BookInput) -> Answer[BookRecord]:
    """Replace every field of a book."""
    if (denied := _require(request, "bookstore.change_book", "change books")) is not None:
        return Status(403, denied)
    return _answer(200, lambda: book_writes.replace_book(book_id=book_id, book=payload))


@routes.patch(
    "/books/{book_id}",
    response={200: BookRecord, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["writes"],
)
def patch_book(request: HttpRequest, book_id: BookId, payload: BookPatch) -> Answer[BookRecord]:
    """Change some fields of a book (``publisher_id: null`` removes the publisher)."""
    if (denied := _require(request, "bookstore.change_book", "change books")) is not None:
        return Status(403, denied)
    return _answer(200, lambda: book_writes.patch_book(book_id=book_id, changes=payload))


@routes.post(
    "/books/{book_id}/reviews",
    response={201: ReviewRecord, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["writes"],
)
def add_review(request: HttpRequest, book_id: BookId, payload: ReviewInput) -> Answer[ReviewRecord]:
    """Add a review to a book."""
    return _answer(201, lambda: reviews.add_review(book_id=book_id, review=payload))


@routes.post(
    "/orders",
    response={200: OrderDTO, 201: OrderDTO, **ERROR_RESPONSES},
    auth=WRITE_AUTH,
    tags=["writes"],
)
def place_order(
    request: HttpRequest,
    response: HttpResponse,
    payload: OrderInput,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Answer[OrderDTO]:
    """Place an order; 201 when placed now, 200 when an earlier request with the key placed it."""
    answer = _answer(
        201, lambda: orders.place_order(order=payload, idempotency_key=idempotency_key)
    )
    placed = answer.value
    if isinstance(placed, Problem):
        return Status(answer.status_code, placed)
    if placed.replayed:
        response[REPLAYED_HEADER] = "true"
        return Status(200, placed.order)
    return Status(201, placed.order)
