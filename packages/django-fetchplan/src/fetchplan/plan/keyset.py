"""Stream root rows in keyset chunks where the database has no server-side cursor.

``QuerySet.iterator()`` keeps memory flat on PostgreSQL (a server-side cursor) and SQLite
(rows are stepped through). Django's MySQL/MariaDB backend has no server-side cursor, and
mysqlclient's default cursor turns the whole result into Python tuples before the first row
is read: memory grows with the number of rows. Its unbuffered cursor (``SSCursor``) would
stream, but the connection can run no other statement until the result is read to its end,
and ``stream()`` loads each chunk's to-many data while the root rows are still being read.

So there, the root rows come in chunks of their own, one query per chunk: ordered by the
queryset's order with the primary key added as the last tie-breaker, each chunk starting after
the previous chunk's last row (``WHERE a > x OR (a = x AND pk > y) ... LIMIT <chunk size>``).
The comparison uses the column's collation, as the ``ORDER BY`` does, so rows that compare
equal (``'a'`` and ``'A'`` in a case-insensitive collation) are told apart by the primary key
alike in both.

A key is usable when every term of the order is a column of the root model named as a string
(``"title"``, ``"-published"``, ``"pk"``, ``"writer_id"``) that cannot be NULL. Anything else
is read through ``iterator()`` as on the other databases (flat everywhere but on MySQL/MariaDB),
for a stated reason: a nullable column (NULL sorts first ascending on MySQL and compares unknown,
so the ``WHERE`` above would skip those rows), an expression or a relation's name (Django orders
by the related model's ordering), a path over a relation, ``distinct()``, ``extra()``, a slice,
or deferred fields (the instances strategy would fetch them lazily).
"""

from collections.abc import Callable, Iterator, Sequence
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Field, Q, QuerySet
from django.db.models.options import Options

__all__ = ["Key", "keyset_chunks", "keyset_order"]

Key = tuple[tuple[str, bool], ...]
"""The order of keyset chunks: (column attname, descending) pairs, the primary key last."""


def keyset_order(queryset: QuerySet[Any]) -> Key | None:
    """Return the key to stream ``queryset`` by, or None to not use keysets.

    None unless the database buffers whole results (MySQL/MariaDB) and the queryset is unsliced
    and ordered by non-null columns of its model (or not ordered: then by primary key).
    """
    if connections[queryset.db].vendor != "mysql" or queryset.query.is_sliced:
        return None
    query, meta = queryset.query, queryset.model._meta
    order = list(query.order_by) or (list(meta.ordering) if query.default_ordering else [])
    if query.extra_order_by or query.distinct:
        return None
    key: list[tuple[str, bool]] = []
    for term in order:
        if not isinstance(term, str):
            return None
        field = _column(meta, term.removeprefix("-"))
        if field is None:
            return None
        key.append((field.attname, term.startswith("-")))
        if field.primary_key:
            break  # the primary key is unique: later terms never decide
    else:
        key.append((meta.pk.attname, False))
    deferred, _ = query.deferred_loading
    if len(key) > 1 and deferred:
        return None
    return tuple(key)


def _column(meta: "Options[Any]", name: str) -> "Field[Any, Any] | None":
    """Return the non-null local column ``name`` names (a field name, attname or pk), else None."""
    if name == "pk":
        return meta.pk
    found: Any
    try:
        found = meta.get_field(name)
    except FieldDoesNotExist:
        found = next((f for f in meta.concrete_fields if f.attname == name), None)
        if found is None:
            return None
        name = found.attname
    if not isinstance(found, Field):
        return None  # a reverse relation
    field: Field[Any, Any] = found
    if not field.concrete or field.null:
        return None
    if field.is_relation and name != field.attname:
        return None  # order_by("writer") is by the Writer's ordering, not by writer_id
    return field


def keyset_chunks[R](
    rows: QuerySet[Any, R], *, chunk_size: int, key: Key, key_of: Callable[[R], Sequence[Any]]
) -> Iterator[list[R]]:
    """Yield ``rows`` in chunks of ``chunk_size``, in ``key`` order, one query per chunk.

    ``key_of(row)`` returns the row's values of ``key``'s columns, in ``key``'s order. A chunk
    shorter than ``chunk_size`` is the last one (an empty result ends it too).
    """
    ordered = rows.order_by(*[f"-{name}" if descending else name for name, descending in key])
    last: Sequence[Any] | None = None
    while True:
        page = ordered if last is None else ordered.filter(after(key, last))
        chunk = list(page[:chunk_size])
        if chunk:
            yield chunk
        if len(chunk) < chunk_size:
            return
        last = key_of(chunk[-1])


def after(key: Key, values: Sequence[Any]) -> Q:
    """Return the condition of the rows after the one whose ``key`` columns hold ``values``."""
    branches = []
    for i, (name, descending) in enumerate(key):
        equal = {column: value for (column, _), value in zip(key[:i], values, strict=False)}
        beyond = {f"{name}__{'lt' if descending else 'gt'}": values[i]}
        branches.append(Q(**equal, **beyond))
    return reduce(or_, branches)
