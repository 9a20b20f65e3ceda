"""Stream root rows in keyset chunks where the database has no server-side cursor.

``QuerySet.iterator()`` keeps memory flat on PostgreSQL (a server-side cursor) and SQLite
(rows are stepped through). Django's MySQL/MariaDB backend has no server-side cursor, and
mysqlclient's default cursor turns the whole result into Python tuples before the first row
is read: memory grows with the number of rows. Its unbuffered cursor (``SSCursor``) would
stream, but the connection can run no other statement until the result is read to its end,
and ``stream()`` loads each chunk's to-many data while the root rows are still being read.

So there, the root rows come in chunks of their own: ``WHERE pk > <last pk of the previous
chunk> ORDER BY pk LIMIT <chunk size>``, one query per chunk, each an index range scan. That
needs the primary key as the order: a queryset ordered by its primary key alone (either way)
or not ordered at all. Any other order, or a sliced queryset, is read through ``iterator()``
as on the other databases (flat everywhere but on MySQL/MariaDB).
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.db import connections
from django.db.models import QuerySet

__all__ = ["keyset_chunks", "keyset_order"]


def keyset_order(queryset: QuerySet[Any]) -> bool | None:
    """Return whether to stream ``queryset`` by descending primary key, or None to not use keysets.

    None unless the database buffers whole results (MySQL/MariaDB) and the queryset is unsliced
    and ordered by its primary key alone, or not ordered.
    """
    if connections[queryset.db].vendor != "mysql" or queryset.query.is_sliced:
        return None
    query, meta = queryset.query, queryset.model._meta
    order = list(query.order_by) or (list(meta.ordering) if query.default_ordering else [])
    if query.extra_order_by or query.distinct or len(order) > 1:
        return None
    if not order:
        return False  # any order is right; the primary key's is the one an index gives
    (term,) = order
    if not isinstance(term, str):
        return None
    name = term.removeprefix("-")
    if name not in {"pk", meta.pk.name, meta.pk.attname}:
        return None
    return term.startswith("-")


def keyset_chunks[R](
    rows: QuerySet[Any, R], *, chunk_size: int, descending: bool, pk_of: Callable[[R], Any]
) -> Iterator[list[R]]:
    """Yield ``rows`` in chunks of ``chunk_size``, by primary key, one query per chunk.

    A chunk shorter than ``chunk_size`` is the last one (an empty result ends it too).
    """
    ordered = rows.order_by("-pk" if descending else "pk")
    last: Any = None
    while True:
        page = ordered
        if last is not None:
            page = ordered.filter(pk__lt=last) if descending else ordered.filter(pk__gt=last)
        chunk = list(page[:chunk_size])
        if chunk:
            yield chunk
        if len(chunk) < chunk_size:
            return
        last = pk_of(chunk[-1])
