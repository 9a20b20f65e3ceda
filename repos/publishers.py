"""Reads of publishers: the list with book counts, and the names for the filter menu."""

from django.db.models import Count
from fetchplan import Plan, fetch_all
from fetchplan.observe import query_budget

from bookstore.models import Publisher
from dtos.publishers import PublisherRef, PublisherRow

PUBLISHER_REF = Plan(Publisher, PublisherRef)
PUBLISHER_ROW = Plan(Publisher, PublisherRow, fields={"book_count": Count("books")})


@query_budget(PUBLISHER_ROW)
def list_publishers() -> list[PublisherRow]:
    """Return every publisher by name, with its number of books (1 query).

    Example::

        [(p.name, p.book_count) for p in list_publishers()]
    """
    return fetch_all(PUBLISHER_ROW, Publisher.objects.order_by("name", "id"))


@query_budget(PUBLISHER_REF)
def list_publisher_refs() -> list[PublisherRef]:
    """Return every publisher's id and name, by name (1 query, no counts: a menu's choices).

    Example::

        {p.id: p.name for p in list_publisher_refs()}
    """
    return fetch_all(PUBLISHER_REF, Publisher.objects.order_by("name", "id"))
