"""Helpers shared by the scenarios: table names, raw queries, and one comparable form of records.

Every variant of a scenario returns the same bookstore DTO's data in its own shape (DTOs,
NamedTuples, dicts, raw rows). :func:`records` turns any of them into plain, comparable tuples,
so the harness can check that every variant returned the same data, field by field.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from pydantic import BaseModel

from bench.harness import Record
from bookstore.models import Author, Book, Publisher, Review, Stock, Tag

BOOK = Book._meta.db_table
AUTHOR = Author._meta.db_table
PUBLISHER = Publisher._meta.db_table
REVIEW = Review._meta.db_table
STOCK = Stock._meta.db_table
TAG = Tag._meta.db_table
BOOK_TAGS = Book.tags.through._meta.db_table
BOOK_COLUMNS = ("id", "title", "isbn", "price", "published")
"""The book's own columns that ``BookRow`` and ``BookDetail`` both show."""
CENT = Decimal("0.01")
FLOAT_PLACES = 6
"""Averages agree to this many places across drivers (SQLite float, PostgreSQL numeric)."""
NO_CANONICAL_FORM = "No canonical form for {value!r} ({kind}): add one to canonical()."


def money(value: object) -> Decimal:
    """Return a price as a 2-place Decimal, whatever the driver returned (SQLite: float)."""
    return Decimal(str(value)).quantize(CENT)


def day(value: object) -> str:
    """Return a date as ``YYYY-MM-DD`` (SQLite's raw cursor returns the string already)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def fetchall(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` on the default connection and return every row (the floor's only work)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def fetch_pages(ids: list[int], statements: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Run every statement for each id (its one parameter): a page scenario's floor."""
    return [tuple(fetchall(sql, (pk,)) for sql in statements) for pk in ids]


def plain(value: object) -> object:
    """Return ``value`` with every DTO in it (pydantic or NamedTuple) turned into a dict."""
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: plain(item) for name, item in zip(value._fields, value, strict=True)}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def canonical(value: object) -> object:
    """Return plain data in one comparable form, whatever driver or layer produced it.

    Dicts become key-sorted tuples of pairs; numbers that are not ints are rounded floats
    (a price is a Decimal from the ORM, a float from SQLite's cursor); a datetime is its naive
    UTC ISO form with a space, as SQLite's cursor returns it; a date is ``YYYY-MM-DD``.
    Raises TypeError on a value it has no form for, rather than comparing it loosely.
    """
    if isinstance(value, dict):
        return tuple(sorted((key, canonical(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(canonical(item) for item in value)
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float | Decimal):
        return round(float(value), FLOAT_PLACES)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(NO_CANONICAL_FORM.format(value=value, kind=type(value).__name__))


def records(output: object) -> list[Record]:
    """Return a variant's list of DTOs or DTO-shaped dicts as comparable records (untimed)."""
    assert isinstance(output, Iterable)
    return [_record(item) for item in output]


def _record(item: object) -> Record:
    record = canonical(plain(item))
    assert isinstance(record, tuple)
    return record
