"""DTOs for books: pure data, no Django."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class BookSummary(BaseModel):
    """A book as the home page lists it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    title: str
    price: Decimal
    published: date
    author_name: str
