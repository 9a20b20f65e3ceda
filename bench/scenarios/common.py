"""Helpers shared by the scenarios: table names, value normalisation, raw queries."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection

from bookstore.models import Author, Book, Publisher, Review, Tag

BOOK = Book._meta.db_table
AUTHOR = Author._meta.db_table
PUBLISHER = Publisher._meta.db_table
REVIEW = Review._meta.db_table
TAG = Tag._meta.db_table
BOOK_TAGS = Book.tags.through._meta.db_table
CENT = Decimal("0.01")


def money(value: object) -> Decimal:
    """Return a price as a 2-place Decimal, whatever the driver returned (SQLite: float)."""
    return Decimal(str(value)).quantize(CENT)


def day(value: object) -> str:
    """Return a date as ``YYYY-MM-DD`` (SQLite's raw cursor returns the string already)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def fetchall(sql: str, params: tuple[int, ...]) -> list[tuple[Any, ...]]:
    """Run ``sql`` on the default connection and return every row (the floor's only work)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
