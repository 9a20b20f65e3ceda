"""Async twins of the run functions: ``afetch_all``, ``afetch_one``, ``afetch_first``,
``astream``, ``acount``, ``aexists``.

Each twin runs its sync version in Django's sync thread (``sync_to_async`` with
``thread_sensitive=True``), the way Django's own async queryset methods (``aget``, ``acount``,
``aiterator``) do: Django's database connections belong to a thread and are not async-safe, so
the ORM work, the SQL and the DTO building happen there, while the event loop stays free. So the
results are the sync versions' results: the same DTOs, queries, query budget, identity within a
call (within a chunk when streaming) and ``NotLoaded`` fields.

``asgiref`` runs the sync code in a copy of the caller's context (``contextvars``), so the
recorder, ``@query_budget`` and ``no_queries()`` active around an ``await`` cover the statements
run in the sync thread.

``astream`` drives one sync ``stream`` generator from the sync thread, one chunk of DTOs per
hop (as Django's ``aiterator`` does): the root rows come from one database cursor (server-side on
PostgreSQL) and memory stays constant whatever the number of rows.

Example::

    async def list_books() -> list[BookCard]:
        return await afetch_all(BOOK_CARD, Book.objects.order_by("title"))
"""

from collections.abc import AsyncGenerator, Iterator
from itertools import islice
from typing import Any

from asgiref.sync import sync_to_async
from django.db.models import Model, QuerySet
from pydantic import BaseModel

from fetchplan.plan.declare import Plan
from fetchplan.plan.errors import BAD_CHUNK_SIZE
from fetchplan.plan.run import (
    DEFAULT_CHUNK_SIZE,
    count,
    exists,
    fetch_all,
    fetch_first,
    fetch_one,
    stream,
)


async def afetch_all[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D], queryset: QuerySet[M], *, using: str | None = None
) -> list[D]:
    """Async ``fetch_all``: every DTO of ``queryset``, in its order; ``plan.budget()`` queries."""
    return await sync_to_async(fetch_all, thread_sensitive=True)(plan, queryset, using=using)


async def afetch_one[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D], queryset: QuerySet[M], *, using: str | None = None, **lookup: Any
) -> D:
    """Async ``fetch_one``: the single DTO matching ``lookup``.

    Raises ``NotFound`` if none matches and ``MultipleFound`` if several do.
    """
    return await sync_to_async(fetch_one, thread_sensitive=True)(
        plan, queryset, using=using, **lookup
    )


async def afetch_first[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D], queryset: QuerySet[M], *, using: str | None = None
) -> D | None:
    """Async ``fetch_first``: the first DTO of ``queryset``, or None if it is empty."""
    return await sync_to_async(fetch_first, thread_sensitive=True)(plan, queryset, using=using)


def _next_chunk[D](dtos: Iterator[D], size: int) -> list[D]:
    """Take up to ``size`` DTOs from the sync stream (runs in the sync thread)."""
    return list(islice(dtos, size))


def _close(dtos: Iterator[Any]) -> None:
    close = getattr(dtos, "close", None)
    if close is not None:
        close()


async def astream[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D],
    queryset: QuerySet[M],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    using: str | None = None,
) -> AsyncGenerator[D]:
    """Async ``stream``: yield DTOs chunk by chunk, in constant memory.

    One sync ``stream`` generator runs in the sync thread, ``chunk_size`` DTOs per hop. A loop
    that stops early should close the stream (``async with contextlib.aclosing(astream(...))``)
    so the sync generator, and its cursor, are closed at once, in the sync thread. Raises
    ValueError on a ``chunk_size`` below 1 (when iteration starts, like ``stream``).
    """
    if chunk_size < 1:
        raise ValueError(BAD_CHUNK_SIZE.format(chunk_size=chunk_size))
    dtos = stream(plan, queryset, chunk_size=chunk_size, using=using)
    take = sync_to_async(_next_chunk, thread_sensitive=True)
    finished = False
    try:
        while True:
            chunk = await take(dtos, chunk_size)
            for dto in chunk:
                yield dto
            if len(chunk) < chunk_size:
                finished = True
                return
    finally:
        if not finished:
            await sync_to_async(_close, thread_sensitive=True)(dtos)


async def acount(queryset: QuerySet[Any], *, using: str | None = None) -> int:
    """Async ``count``: the number of rows (``SELECT COUNT(*)``). 1 query."""
    return await sync_to_async(count, thread_sensitive=True)(queryset, using=using)


async def aexists(queryset: QuerySet[Any], *, using: str | None = None) -> bool:
    """Async ``exists``: True if the queryset has at least one row. 1 query."""
    return await sync_to_async(exists, thread_sensitive=True)(queryset, using=using)
