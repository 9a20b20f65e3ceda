"""Reads of tags: the list with book counts, and one tag by name."""

from fetchplan import Plan, fetch_all, fetch_one
from fetchplan.observe import query_budget

from bookstore.models import Tag
from dtos.tags import TagRow

# book_count is the stored column (bookstore/models.py: triggers keep it exact), not a
# Count("books") that would join and group every book-tag link per request.
TAG_ROW = Plan(Tag, TagRow)


@query_budget(TAG_ROW)
def list_tags() -> list[TagRow]:
    """Return every tag by name, with the number of books that carry it (1 query).

    Example::

        [(tag.name, tag.book_count) for tag in list_tags()]
    """
    return fetch_all(TAG_ROW, Tag.objects.order_by("name"))


@query_budget(TAG_ROW)
def get_tag(name: str) -> TagRow:
    """Return the tag named ``name`` with its book count (1 query). Raises ``NotFound``.

    Example::

        get_tag("poetry").book_count
    """
    return fetch_one(TAG_ROW, Tag.objects.all(), name=name)
