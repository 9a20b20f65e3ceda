"""Input DTOs of the reads: the query parameters and path segments GET routes accept.

Pure data (pydantic, typing, stdlib). The HTML pages (``bookstore/views_params.py``), the JSON
API (ninja's ``Query[...]``) and the CSV export validate their input with these types, so a
value the database would choke on (an id past 64 bits, text with a NUL character, a
non-finite number) is a 400 with a message before any query runs. The raw query string is
screened first by ``bookstore/read_input.py`` (repeated parameters, over-long values).
"""

from typing import Annotated

from fetchplan.dto import DTO
from pydantic import AfterValidator, Field

from dtos.fields import MAX_ID, check_text

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_CURSOR_LENGTH",
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "MAX_SEARCH_LENGTH",
    "MAX_TAG_LENGTH",
    "AuthorPageParams",
    "BookPageParams",
    "CursorText",
    "OrderPageParams",
    "QueryId",
    "QueryText",
    "SearchText",
    "TagName",
]

MAX_SEARCH_LENGTH = 200
MAX_TAG_LENGTH = 50  # the column's length: a longer name cannot exist
MAX_CURSOR_LENGTH = 1000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 1_000_000

QueryText = Annotated[str, AfterValidator(check_text)]
"""Text from a URL: no NUL character, no lone surrogate."""

QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A row id from a URL: a whole number that fits a 64-bit integer (``"12"`` is accepted)."""

# The length comes before the text check in each Annotated: pydantic then says "at most N
# characters" (after a validator it would count "items").
TagName = Annotated[str, Field(min_length=1, max_length=MAX_TAG_LENGTH), AfterValidator(check_text)]
"""A tag's name, as ``?tag=`` and ``/tags/<name>/`` carry it."""

SearchText = Annotated[str, Field(max_length=MAX_SEARCH_LENGTH), AfterValidator(check_text)]
"""The words searched for in titles (``?q=``)."""

CursorText = Annotated[str, Field(max_length=MAX_CURSOR_LENGTH), AfterValidator(check_text)]
"""An opaque page cursor as a previous page handed it out."""


class BookPageParams(DTO):
    """Which page of books: the cursor of a previous page (none for the first) and its size."""

    cursor: CursorText | None = None
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class AuthorPageParams(DTO):
    """Which page of authors (from 1)."""

    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class OrderPageParams(DTO):
    """Which page of the caller's orders: newest first, ``before`` an order id, ``limit`` many."""

    before: QueryId | None = None
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
