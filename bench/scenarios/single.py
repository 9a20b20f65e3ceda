"""Scenario 6: single objects by primary key, one call per id, as a form or an API read does.

The argument is a list of book ids; each variant fetches one ``ReviewTarget`` (the book's id
and title, what the review form shows) per id and returns them in order. The layer is the
bookstore's repository function ``repos.reviews.get_review_target`` itself, one query a call:
this scenario measures what a call costs above its one small query (building and compiling
the query, reading its row, building the DTO), which a page of three queries hides less.
"""

from typing import Any

from bench.harness import Record, Variant, page_variants
from bench.scenarios.common import BOOK, fetchall, records
from bookstore.models import Book
from repos.reviews import get_review_target

FLOOR_BOOK = f"SELECT id, title FROM {BOOK} WHERE id = %s"  # noqa: S608 (table name from metadata)


def floor(pk: int) -> tuple[Any, ...]:
    """One hand-written query through the cursor, ``fetchall()`` only."""
    (row,) = fetchall(FLOOR_BOOK, (pk,))
    return row


def naive(pk: int) -> dict[str, Any]:
    """``get()`` of the whole model instance."""
    book = Book.objects.get(pk=pk)
    return {"id": book.id, "title": book.title}


def hand_tuned(pk: int) -> dict[str, Any]:
    """``values()`` of the two columns: no model instance, no other column."""
    return dict(Book.objects.values("id", "title").get(pk=pk))


def _from_floor(output: object) -> list[Record]:
    assert isinstance(output, list)
    return records({"id": id_, "title": title} for id_, title in output)


def variants() -> list[Variant]:
    """Return the scenario's variants, the floor first (the reference for records)."""
    pages = {
        "floor": floor,
        "naive": naive,
        "hand_tuned": hand_tuned,
        "layer": lambda pk: get_review_target(book_id=pk),
    }
    found = page_variants(pages, records)
    return [Variant("floor", found[0].run, _from_floor), *found[1:]]
