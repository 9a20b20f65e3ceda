"""Running a plan: fetch all, fetch one, first-or-none, stream, count, exists.

The root queryset is the caller's: filters, ordering and slicing stay in repository
functions. Each function runs the plan's strategy and returns frozen DTOs; within one call
(one chunk, when streaming) the same related row becomes one DTO instance.

Python's cyclic garbage collector is paused while DTOs are built (and restored after): a
fetch allocates many small objects and no cycles, and each allocation past the collector's
threshold would otherwise start a collection over all of them (docs/performance.md).
"""

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import batched
from typing import Any

from django.db.models import Model, QuerySet
from pydantic import BaseModel

from fetchplan.plan import compiled_sql
from fetchplan.plan.compile import Node
from fetchplan.plan.compiled_sql import Conversion
from fetchplan.plan.declare import Plan, Strategy
from fetchplan.plan.errors import BAD_CHUNK_SIZE, MultipleFound, NotFound
from fetchplan.plan.instances_strategy import build_instances, prepare
from fetchplan.plan.keyset import Key, keyset_chunks, keyset_order
from fetchplan.plan.querysets import root_values
from fetchplan.plan.values_strategy import Identity, build_rows
from fetchplan.routing import read_alias

DEFAULT_CHUNK_SIZE = 2000


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, restoring its previous state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _using[M: Model](queryset: QuerySet[M], using: str | None) -> QuerySet[M]:
    """Return ``queryset`` on ``using``; with no database chosen, on a replica if one is due.

    Read replicas are opt-in (``fetchplan.routing``); without them this changes nothing.
    """
    if using is not None:
        return queryset.using(using)
    chosen = getattr(queryset, "_db", None)  # set by .using(); Django has no public reader
    if chosen is None and (replica := read_alias(queryset.model)) is not None:
        return queryset.using(replica)
    return queryset


def fetch_all[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D], queryset: QuerySet[M], *, using: str | None = None
) -> list[D]:
    """Run ``plan`` over ``queryset``; return every DTO, in the queryset's order.

    Runs ``plan.budget()`` queries (fewer if a level has no parents to load children for).

    Example::

        books = fetch_all(BOOK_CARD, Book.objects.filter(price__lt=10).order_by("title"))
    """
    queryset = _using(queryset, using)
    node = plan.compiled()
    identity = Identity()
    if plan.strategy is Strategy.VALUES:
        fetched = compiled_sql.root_fetched(node, queryset)  # rows converted by build_rows
        rows, conversion = fetched or (list(root_values(node, queryset)), None)
        with paused_gc():
            return build_rows(node, rows, queryset.db, identity, queryset, conversion)
    objects = list(prepare(node, queryset))
    with paused_gc():
        return build_instances(node, objects, identity)


def fetch_one[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D], queryset: QuerySet[M], *, using: str | None = None, **lookup: Any
) -> D:
    """Return the single DTO matching ``lookup`` in ``queryset``.

    Raises ``NotFound`` (naming the model and the lookup) if none matches and
    ``MultipleFound`` if several do.

    Example::

        book = fetch_one(BOOK_DETAIL, Book.objects.all(), pk=42)
    """
    found = fetch_all(plan, queryset.filter(**lookup)[:2], using=using)
    if not found:
        raise NotFound(queryset.model.__name__, lookup)
    if len(found) > 1:
        raise MultipleFound(queryset.model.__name__, lookup)
    return found[0]


def fetch_first[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D], queryset: QuerySet[M], *, using: str | None = None
) -> D | None:
    """Return the first DTO of ``queryset`` (in its order), or None if it is empty."""
    found = fetch_all(plan, queryset[:1], using=using)
    return found[0] if found else None


def stream[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D],
    queryset: QuerySet[M],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    using: str | None = None,
) -> Iterator[D]:
    """Yield DTOs chunk by chunk, in constant memory whatever the number of rows.

    Root rows come from a database cursor ``chunk_size`` at a time (server-side on
    PostgreSQL); each chunk loads its to-many data with ``plan.budget() - 1`` queries. DTO
    identity holds within a chunk. On MySQL/MariaDB, which buffer whole results, a queryset
    ordered by non-null columns of its model (or not ordered) is read in keyset chunks, one
    query per chunk, the primary key breaking ties (``keyset``).
    """
    if chunk_size < 1:
        raise ValueError(BAD_CHUNK_SIZE.format(chunk_size=chunk_size))
    queryset = _using(queryset, using)
    node = plan.compiled()
    key = keyset_order(queryset)
    if plan.strategy is Strategy.VALUES:
        row_chunks, conversion = _root_row_chunks(node, queryset, chunk_size, key)
        for chunk in row_chunks:
            with paused_gc():
                dtos = build_rows(node, chunk, queryset.db, Identity(), conversion=conversion)
            yield from dtos
        return
    prepared = prepare(node, queryset)
    object_chunks: Iterable[Sequence[Any]]
    if key is None:
        object_chunks = batched(prepared.iterator(chunk_size=chunk_size), chunk_size)
    else:
        names = [name for name, _ in key]
        object_chunks = keyset_chunks(
            prepared,
            chunk_size=chunk_size,
            key=key,
            key_of=lambda obj: [getattr(obj, name) for name in names],
        )
    for object_chunk in object_chunks:
        with paused_gc():
            dtos = build_instances(node, object_chunk, Identity())
        yield from dtos


def _root_row_chunks(
    node: Node, queryset: QuerySet[Any], chunk_size: int, key: Key | None
) -> tuple[Iterable[Sequence[tuple[Any, ...]]], Conversion | None]:
    """Return ``stream()``'s root rows in chunks of ``chunk_size``, and their conversion.

    Keyset chunks where the database buffers whole results and the order allows them
    (``keyset``: ``key`` is not None); else the plan's compiled statement read by
    ``fetchmany(chunk_size)`` when the queryset's shape qualifies (``compiled_sql``: its rows
    as fetched, with the conversion ``build_rows`` applies), else
    ``values_list().iterator()``. The conversion is None for rows already converted.
    """
    if key is not None:
        values, positions = _with_key_columns(root_values(node, queryset), node.keys, key)
        chunks = keyset_chunks(
            values,
            chunk_size=chunk_size,
            key=key,
            key_of=lambda row: [row[position] for position in positions],
        )
        return chunks, None
    compiled = compiled_sql.root_chunks(node, queryset, chunk_size)
    if compiled is not None:
        return compiled
    values = root_values(node, queryset)
    return batched(values.iterator(chunk_size=chunk_size), chunk_size), None


def _with_key_columns(
    values: QuerySet[Any, tuple[Any, ...]], keys: Sequence[str], key: Key
) -> tuple[QuerySet[Any, tuple[Any, ...]], list[int]]:
    """Return ``values`` selecting ``key``'s columns too (after the row's), and their positions.

    The row builders read a row by position, so columns added at the end change nothing.
    """
    names = [name for name, _ in key]
    extra = [name for name in names if name not in keys]
    selected = [*keys, *extra]
    if extra:
        values = values.values_list(*selected)
    return values, [selected.index(name) for name in names]


def count(queryset: QuerySet[Any], *, using: str | None = None) -> int:
    """Return the number of rows (``SELECT COUNT(*)``; never loads them). 1 query."""
    return _using(queryset, using).count()


def exists(queryset: QuerySet[Any], *, using: str | None = None) -> bool:
    """Return True if the queryset has at least one row (``LIMIT 1``). 1 query."""
    return _using(queryset, using).exists()
