"""Prices: the backlist discount rule."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

BACKLIST_YEARS = 5
BACKLIST_DISCOUNT = Decimal("0.20")
CENT = Decimal("0.01")


class Priced(Protocol):
    """Anything with a price and a publication date (BookRow, BookDetail, AuthorBook)."""

    @property
    def price(self) -> Decimal: ...

    @property
    def published(self) -> date: ...


def is_backlist(book: Priced, *, today: date) -> bool:
    """Return True if ``book`` was published at least ``BACKLIST_YEARS`` years before ``today``."""
    try:
        cutoff = today.replace(year=today.year - BACKLIST_YEARS)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - BACKLIST_YEARS, day=28)
    return book.published <= cutoff


def sale_price(book: Priced, *, today: date) -> Decimal:
    """Return what ``book`` sells for on ``today``: 20% off the backlist, rounded to the cent.

    Example::

        sale_price(book, today=date(2026, 11, 25))  # Decimal("8.00") for a 10.00 book from 2015
    """
    if not is_backlist(book, today=today):
        return book.price
    return (book.price * (1 - BACKLIST_DISCOUNT)).quantize(CENT, rounding=ROUND_HALF_UP)
