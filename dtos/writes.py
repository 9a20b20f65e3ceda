"""Input DTOs of the writes: what a client may send, validated before any query runs.

Pure data (pydantic, typing, stdlib). Every rule here exists so that bad input gets a clear
422 and never reaches the database as something it would reject with a 500: ids fit a
``bigint``, text holds no NUL byte (PostgreSQL refuses it) and no lone surrogate (UTF-8
cannot encode it), decimals are finite and fit ``numeric(8, 2)``, quantities fit an
``integer``. Integers are strict: ``true`` or ``1.0`` is not an id.
"""

import hashlib
import json
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from dtos.fields import MAX_ID, TEXT_HAS_NUL, TEXT_NOT_UTF8, check_text

__all__ = [
    "MAX_ID",
    "MAX_ORDER_LINES",
    "MAX_QUANTITY",
    "TEXT_HAS_NUL",
    "TEXT_NOT_UTF8",
    "BookInput",
    "BookPatch",
    "Id",
    "IdempotencyKey",
    "Isbn",
    "OrderInput",
    "OrderLineInput",
    "OrderRequest",
    "ReviewInput",
    "check_idempotency_key",
    "isbn13_is_valid",
]

MAX_QUANTITY = 10_000
MAX_ORDER_LINES = 50
MAX_REVIEW_BODY = 5_000
MAX_IDEMPOTENCY_KEY = 255

TEXT_BLANK = "Text must not be blank."
ISBN_FORMAT = "An ISBN-13 has 13 digits (hyphens and spaces allowed), got {value!r}."
ISBN_CHECKSUM = "ISBN {value} has a wrong check digit (expected {expected})."
ORDER_DUPLICATE_BOOK = (
    "Each book may appear in one line only; book {book_id} appears {count} times."
)
PATCH_NULL = "{field} cannot be null."
PATCH_EMPTY = "A PATCH must change at least one field."
IDEMPOTENCY_KEY_INVALID = (
    "Idempotency-Key must be 1..255 printable ASCII characters (no spaces), got {value!r}."
)

_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(TEXT_BLANK)
    return value


def isbn13_is_valid(digits: str) -> bool:
    """Return True if ``digits`` (13 digits) ends with the right ISBN-13 check digit."""
    return digits[-1] == _isbn13_check_digit(digits[:12])


def _isbn13_check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return str((10 - total % 10) % 10)


def _valid_isbn(value: str) -> str:
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        raise ValueError(ISBN_FORMAT.format(value=value))
    if not isbn13_is_valid(digits):
        raise ValueError(
            ISBN_CHECKSUM.format(value=digits, expected=_isbn13_check_digit(digits[:12]))
        )
    return digits


Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
"""A primary key: a JSON integer that fits a bigint."""

Text = Annotated[str, Field(strict=True), AfterValidator(check_text)]
Title = Annotated[Text, Field(min_length=1, max_length=300), AfterValidator(_not_blank)]
ISBN13_FORMAT = "isbn13"  # the OpenAPI "format" of ISBNs (schemathesis generates valid ones)
Isbn = Annotated[
    str,
    Field(strict=True, max_length=40, json_schema_extra={"format": ISBN13_FORMAT}),
    AfterValidator(_valid_isbn),
]
"""An ISBN-13 with a valid check digit; normalized to its 13 digits."""
Price = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2, allow_inf_nan=False)]
Quantity = Annotated[int, Field(strict=True, ge=1, le=MAX_QUANTITY)]
Rating = Annotated[int, Field(strict=True, ge=1, le=5)]
IdempotencyKey = Annotated[str, Field(pattern=r"^[\x21-\x7e]{1,255}$")]
"""An ``Idempotency-Key`` header value: 1..255 printable ASCII characters."""


def check_idempotency_key(value: str) -> str:
    """Return ``value`` if it is a valid idempotency key; raise ValueError otherwise."""
    if _IDEMPOTENCY_KEY.fullmatch(value) is None:
        raise ValueError(IDEMPOTENCY_KEY_INVALID.format(value=value[:80]))
    return value


class WriteInput(BaseModel):
    """Base of input DTOs: frozen, unknown fields rejected."""

    model_config: ClassVar[ConfigDict] = ConfigDict(frozen=True, extra="forbid")


class BookInput(WriteInput):
    """A whole book, as POST and PUT take it."""

    title: Title
    isbn: Isbn
    price: Price
    published: date
    author_id: Id
    publisher_id: Id | None = None


class BookPatch(WriteInput):
    """Some fields of a book, as PATCH takes them; only ``publisher_id`` may be null."""

    title: Title | None = None
    isbn: Isbn | None = None
    price: Price | None = None
    published: date | None = None
    author_id: Id | None = None
    publisher_id: Id | None = None

    NULLABLE: ClassVar[frozenset[str]] = frozenset({"publisher_id"})

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        if not self.model_fields_set:
            raise ValueError(PATCH_EMPTY)
        for name in sorted(self.model_fields_set - self.NULLABLE):
            if getattr(self, name) is None:
                raise ValueError(PATCH_NULL.format(field=name))
        return self

    def changes(self) -> dict[str, object]:
        """Return the fields the client sent, by name (``publisher_id`` may be None)."""
        return {name: getattr(self, name) for name in sorted(self.model_fields_set)}


class ReviewInput(WriteInput):
    """A reader's review of a book."""

    rating: Rating
    body: Annotated[Text, Field(max_length=MAX_REVIEW_BODY)] = ""


class OrderLineInput(WriteInput):
    """One book of an order and how many copies."""

    book_id: Id
    quantity: Quantity


def _one_line_per_book(lines: tuple[OrderLineInput, ...]) -> tuple[OrderLineInput, ...]:
    seen: dict[int, int] = {}
    for line in lines:
        seen[line.book_id] = seen.get(line.book_id, 0) + 1
    for book_id, count in seen.items():
        if count > 1:
            raise ValueError(ORDER_DUPLICATE_BOOK.format(book_id=book_id, count=count))
    return lines


OrderLines = Annotated[
    tuple[OrderLineInput, ...],
    Field(min_length=1, max_length=MAX_ORDER_LINES),
    AfterValidator(_one_line_per_book),
]
"""1..50 lines, each book at most once."""


class OrderRequest(WriteInput):
    """An order as ``POST /api/orders`` takes it: the lines, and for staff another customer.

    Without ``customer_id`` the order is for the caller's own customer.
    """

    customer_id: Id | None = None
    lines: OrderLines

    def for_customer(self, customer_id: int) -> "OrderInput":
        """Return this order, placed for customer ``customer_id``."""
        return OrderInput(customer_id=customer_id, lines=self.lines)


class OrderInput(WriteInput):
    """An order to place: a customer and at least one line, each book at most once."""

    customer_id: Id
    lines: OrderLines

    def fingerprint(self) -> str:
        """Return a hash of what this order asks for (line order does not matter).

        Two requests with one idempotency key are "the same request" when their fingerprints
        are equal.
        """
        canonical = {
            "customer_id": self.customer_id,
            "lines": sorted((line.book_id, line.quantity) for line in self.lines),
        }
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()
