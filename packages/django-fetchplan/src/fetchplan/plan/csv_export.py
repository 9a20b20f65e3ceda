"""CSV export of a flat plan: PostgreSQL's ``COPY ... TO STDOUT`` there, the same bytes elsewhere.

``export_csv(plan, queryset)`` yields the CSV of ``plan``'s DTOs over ``queryset`` as bytes:
a header of the DTO's field names, then one line per row, in the queryset's order. On
PostgreSQL the rows come from ``COPY (<the plan's SELECT>) TO STDOUT (FORMAT csv)`` through
psycopg's ``cursor.copy()``: the database writes the CSV, Python only passes its blocks on
(memory flat, no Python per row). On other databases the rows come from ``stream()`` and
:func:`csv_line` writes them with PostgreSQL's CSV rules, so both paths give the same bytes
(``tests/.../test_csv_export.py`` compares them on random data):

- fields separated by ``,``, lines ended by ``\\n``, UTF-8;
- NULL is an empty, unquoted field; an empty string is ``""``;
- a text value is quoted (``"``, doubled inside) when it holds ``,``, ``"``, ``\\r`` or
  ``\\n``, or is empty; ``\\.`` alone is quoted when it is the only column;
- an integer as digits, a decimal in plain notation (``12.50``, never ``1E+2``), a boolean as
  ``t``/``f``, a date as ``YYYY-MM-DD``.

Only a *flat* plan qualifies: its DTO's fields all columns of the row (to-one paths such as
``author__name`` and annotations included), no nested DTO (``One``), no ``Many``, and each
field an ``int``, ``str``, ``bool``, ``Decimal`` or ``date`` (or ``... | None``); datetimes,
floats and the rest have database-specific text forms, so they are refused
(:class:`ExportUnsupported`) rather than written two ways. The COPY statement counts as one
query: it goes through the connection's ``execute_wrappers`` (budgets, query recorders) and
``queries_log``.
"""

import time
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from pydantic import BaseModel

from fetchplan.compat import raise_on_lazy_fetch
from fetchplan.plan.compile import Node
from fetchplan.plan.declare import Plan
from fetchplan.plan.dto_kinds import field_types
from fetchplan.plan.errors import PlanError
from fetchplan.plan.run import DEFAULT_CHUNK_SIZE, _using, stream

__all__ = ["ExportUnsupported", "csv_line", "export_csv"]

EXPORTABLE = (int, str, bool, Decimal, date)
NOT_FLAT = (
    "export_csv() needs a flat plan, and {plan} {problem}: export the DTOs of stream() "
    "with your own writer instead."
)
NOT_EXPORTABLE = (
    "export_csv() writes int, str, bool, Decimal and date fields (or None), and {plan}'s field "
    "{field!r} is {annotation}: its text differs between databases."
)
OUT_OF_ORDER = (
    "export_csv() cannot select {plan}'s columns in its DTO's field order on this Django "
    "(annotated fields are selected last before Django 6.1): declare them last."
)


class ExportUnsupported(PlanError):
    """``export_csv()`` cannot write this plan's DTOs as CSV (not flat, or a field's type)."""


def export_csv[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D],
    queryset: QuerySet[M],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    using: str | None = None,
    use_copy: bool = True,
) -> Iterator[bytes]:
    """Yield the CSV of ``plan``'s DTOs over ``queryset``: header, then a line per row.

    The header line is the first block, alone; the rows follow in blocks as they come.

    1 query on PostgreSQL (``COPY``), ``stream()``'s queries elsewhere; memory flat either way.
    ``use_copy=False`` takes the ``stream()`` path on PostgreSQL too (the same bytes).
    Raises ``ExportUnsupported`` at once (before any query) for a plan that is not flat.

    Example::

        response = StreamingHttpResponse(export_csv(BOOK_RECORD, Book.objects.order_by("id")))
    """
    queryset = _using(queryset, using)
    node = plan.compiled()
    names = _flat_fields(plan, node)
    header = csv_line(names).encode()
    if use_copy and connections[queryset.db].vendor == "postgresql":
        sql, params = _copy_statement(plan, node, queryset, names)
        return _copied(header, queryset.db, sql, params)
    return _streamed(header, plan, queryset, names, chunk_size)


def _flat_fields(plan: Plan[Any, Any], node: Node) -> list[str]:
    """Return the DTO's field names, checking that each is a column of an exportable type."""
    if any(owner.manys for owner in node.walk()):
        raise ExportUnsupported(NOT_FLAT.format(plan=plan.label, problem="loads a Many()"))
    if node.ones or node.missing:
        problem = "has nested DTOs" if node.ones else "leaves fields unloaded"
        raise ExportUnsupported(NOT_FLAT.format(plan=plan.label, problem=problem))
    annotations = field_types(plan.dto)
    for name, annotation in annotations.items():
        if not _exportable(annotation):
            raise ExportUnsupported(
                NOT_EXPORTABLE.format(plan=plan.label, field=name, annotation=annotation)
            )
    return list(annotations)


def _exportable(annotation: Any) -> bool:
    """Return True for an exportable type, or a union of them and None."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return all(_exportable(option) for option in options)
    if annotation is datetime or not isinstance(annotation, type):
        return False  # a datetime is a date, but its text is the time zone's
    return issubclass(annotation, EXPORTABLE)


# -- PostgreSQL: COPY -------------------------------------------------------------------------


def _copy_statement(
    plan: Plan[Any, Any], node: Node, queryset: QuerySet[Any], names: Sequence[str]
) -> tuple[str, tuple[Any, ...]]:
    """Return ``COPY (<the plan's SELECT, columns in field order>) TO STDOUT`` and its params."""
    keys = [node.keys[node.columns[name]] for name in names]
    rows = raise_on_lazy_fetch(queryset)
    if node.annotations:
        rows = rows.annotate(**node.annotations)
    rows = rows.values_list(*keys)
    query = rows.query
    selected = [*query.extra_select, *query.values_select, *query.annotation_select]
    if selected != keys:
        raise ExportUnsupported(OUT_OF_ORDER.format(plan=plan.label))
    sql, params = query.get_compiler(using=queryset.db).as_sql()
    return f"COPY ({sql}) TO STDOUT (FORMAT csv)", tuple(params)


def _copied(header: bytes, using: str, sql: str, params: tuple[Any, ...]) -> Iterator[bytes]:
    """Yield ``header``, then the blocks COPY sends, as they arrive."""
    yield header
    connection = connections[using]
    with connection.cursor() as wrapper:
        raw = wrapper.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with _counted(connection, sql, params, lambda: raw.copy(sql, params)) as copy:
            for block in copy:
                yield bytes(block)


def _counted(
    connection: BaseDatabaseWrapper,
    sql: str,
    params: tuple[Any, ...],
    start: Callable[[], Any],
) -> Any:
    """Start the COPY through the connection's ``execute_wrappers``; log it as one query.

    ``start`` returns psycopg's ``Copy`` context manager; the wrappers see the statement
    before it is sent (a budget or a forbidden zone can refuse it), as for ``execute()``.
    """

    def execute(sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        return start()

    executor: Callable[..., Any] = execute
    for wrapper in reversed(connection.execute_wrappers):
        executor = _bound(wrapper, executor)
    began = time.monotonic()
    copy = executor(sql, params, False, {"connection": connection, "cursor": None})
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"{sql} -- params {params!r}", "time": f"{time.monotonic() - began:.3f}"}
        )
    return copy


def _bound(wrapper: Callable[..., Any], executor: Callable[..., Any]) -> Callable[..., Any]:
    def call(sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        return wrapper(executor, sql, params, many, context)

    return call


# -- other databases: stream() and PostgreSQL's CSV rules -------------------------------------


def _streamed(
    header: bytes,
    plan: Plan[Any, Any],
    queryset: QuerySet[Any],
    names: Sequence[str],
    chunk_size: int,
) -> Iterator[bytes]:
    """Yield ``header``, then one block of lines per ``chunk_size`` DTOs of ``stream()``."""
    yield header
    lines: list[str] = []
    for dto in stream(plan, queryset, chunk_size=chunk_size):
        values = dto if isinstance(dto, tuple) else [getattr(dto, name) for name in names]
        lines.append(csv_line(values))
        if len(lines) == chunk_size:
            yield "".join(lines).encode()
            lines.clear()
    if lines:
        yield "".join(lines).encode()


_SPECIAL = frozenset(',"\r\n')


def csv_line(values: Sequence[Any]) -> str:
    """Return one CSV line of ``values`` as PostgreSQL's ``COPY ... (FORMAT csv)`` writes it."""
    cells = [_cell(value) for value in values]
    if len(values) == 1 and values[0] == "\\.":
        cells = ['"\\."']  # alone on a line it would read as COPY's end-of-data marker
    return ",".join(cells) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if value == "" or not _SPECIAL.isdisjoint(value):
            return '"' + value.replace('"', '""') + '"'
        return value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
