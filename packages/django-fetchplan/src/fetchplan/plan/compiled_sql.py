"""Compile once, run many: a plan's SQL cached per query shape, only parameters bound per call.

A repository function runs the same plan over querysets of one shape with new values
(``fetch_one(PLAN, Book.objects.all(), pk=book_id)``). Building the plan's querysets (clones,
``annotate``, ``values_list``, the child filters and windows), compiling them to SQL and
reading rows through Django's iterables costs the same on every call; here it is paid once.

What is cached, and the proof that reusing it is right:

- **The root query**, keyed by the plan node, the database alias and the *caller's own SQL*
  (its queryset compiled as it is): a new filter, ordering, slice or annotation changes that
  SQL, so it never reuses another shape's statement. Only a caller's query whose parameters
  are all its WHERE clause's qualifies (no annotations, no extra, no combinator); the plan's
  statement must contain that WHERE clause once, its parameters exactly where the clause's
  placeholders are. Each call binds the caller's new parameters at those positions.
- **A child query by parent ids**, keyed by the edge, the alias and the number of ids: the
  ids must be one ``IN (...)`` list of that length, or on PostgreSQL one array parameter
  (``= ANY(%s)``, ``querysets.AnyOf``), holding the ids given. A
  limited level with one parent id runs ``parent = %s ... LIMIT n`` instead of the window
  (``querysets.one_parent``); its id's position is proved by compiling it for a second id.
- **A child query of every parent row** (``ALL_PARENTS``): no parameter from the caller.
- **A child query whose parents are a subquery of the caller's queryset** (an unsliced list
  of more than ``FEW_PARENTS`` rows), keyed like the root query by the caller's shape and
  WHERE clause: the subquery's parameters must be that clause's, at one place, proved against
  the same child query compiled for two ids (:func:`_subquery_template`). Each call binds the
  caller's new parameters there. Not when the child level has to-many children of its own
  (they select their parents by a subquery of this level's queryset).

Any other shape (a child level selected by a subquery of another child level, a custom
queryset class that iterates its own way, a statement the proof does not hold for) runs the
normal path,
which is also what :func:`disabled` forces, for tests and comparisons. Rows are read with
``fetchall()`` on a Django cursor (so query recorders, budgets and ``execute_wrapper``s see
every statement) and converted by a function generated per statement from Django's own
converters for its columns, laid out as the node's ``values_list()`` keys.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

import django
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Lookup, Model, QuerySet
from django.db.models.expressions import Col
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.models.sql import Query
from django.db.models.sql.where import AND

from fetchplan.plan import fast_converters
from fetchplan.plan.compile import ManyEdge, Node
from fetchplan.plan.fast_path import FastPath
from fetchplan.plan.querysets import (
    ALL_PARENTS,
    Parents,
    child_values,
    one_parent,
    root_values,
)

Row = tuple[Any, ...]
Convert = Callable[[Sequence[Sequence[Any]]], list[Row]]
"""Fetched rows (tuples from ``fetchall()``) in, ``values_list()`` rows out."""
MAX_TEMPLATES = 1024
"""Cached statements per process; past it the cache starts again (shapes are few in practice)."""

_PLACEHOLDER = re.compile(r"(?<!%)%s")


@dataclass(frozen=True, eq=False)
class Conversion:
    """How a statement's fetched rows become ``values_list()`` rows (see :func:`converter`).

    Called on a list of fetched rows, returns the converted rows. Its generated code is kept
    too, for ``raw_builders`` to write the same conversions into a DTO builder.
    """

    convert: Convert
    names: dict[str, Any]
    """What the code refers to (converters, their expressions, the connection)."""
    setup: tuple[str, ...]
    """Statements run once per batch of rows, before the rows (``fast_converters``' dicts)."""
    items: tuple[str, ...]
    """Per ``values_list()`` key, the converted value: an expression over the fetched ``row``."""
    builders: dict[int, tuple[object, Any]] = field(default_factory=dict)
    """``raw_builders``' generated builders for this statement, by ``id()`` of their node."""

    def __call__(self, rows: Sequence[Sequence[Any]]) -> list[Row]:
        """Return ``rows`` converted."""
        return self.convert(rows)


@dataclass(frozen=True)
class Template:
    """One compiled statement: its SQL, its fixed parameters and where new ones go."""

    sql: str
    params: tuple[Any, ...]
    slot: slice
    """Positions in ``params`` that each call replaces with its own values."""
    convert: Conversion
    array: bool = False
    """The slot is one array parameter of all the values (``= ANY(%s)``), not one each."""

    def bind(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """Return the statement's parameters with ``values`` at its slot."""
        if self.array:
            values = (list(values),)
        return (*self.params[: self.slot.start], *values, *self.params[self.slot.stop :])

    def run(self, using: str, values: Sequence[Any]) -> list[Row]:
        """Run the statement with ``values`` bound at its slot; return converted rows."""
        return self.convert(self.fetch(using, values))

    def fetch(self, using: str, values: Sequence[Any]) -> list[Row]:
        """Run the statement with ``values`` bound at its slot; return the rows as fetched."""
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            rows: list[Row] = cursor.fetchall()
        return rows

    def chunks(self, using: str, values: Sequence[Any], size: int) -> Iterator[list[Row]]:
        """Run the statement on a chunked cursor; yield its rows, as fetched, ``size`` at a time.

        The cursor is Django's ``chunked_cursor()``: server-side on PostgreSQL (unless
        ``DISABLE_SERVER_SIDE_CURSORS``), stepped through on SQLite, as ``iterator()`` reads.
        The rows are not converted: ``convert`` (or ``raw_builders``) does that.
        """
        with connections[using].chunked_cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            while rows := cursor.fetchmany(size):
                yield rows


_templates: dict[tuple[Any, ...], tuple[object, Template | None]] = {}
"""Keyed by ``id()`` of the plan node or edge (and the shape); each entry holds that node or
edge too, so its id cannot be taken by another while the entry lives, and a hit is checked to
be the same object."""
_fast_path = FastPath()
disabled = _fast_path.disabled
"""``with disabled():`` runs every plan on the normal path (compiled statements unused)."""


def clear() -> None:
    """Forget every compiled statement."""
    _templates.clear()


def _cached(
    key: tuple[Any, ...], owner: object, make: Callable[[], Template | None]
) -> Template | None:
    """Return the template cached for ``key`` and ``owner``, making it on a miss.

    Statements made with and without ``fast_converters``' memos are cached apart.
    """
    key = (*key, fast_converters.memos_on())
    entry = _templates.get(key)
    if entry is not None and entry[0] is owner:
        return entry[1]
    template = make()
    if len(_templates) >= MAX_TEMPLATES:
        _templates.clear()
    _templates[key] = (owner, template)
    return template


# -- the root query ---------------------------------------------------------------------------


def root_fetched(node: Node, queryset: QuerySet[Any]) -> tuple[list[Row], Conversion] | None:
    """Return the root rows of ``node`` over ``queryset`` as fetched, and their conversion.

    ``values_strategy.build_rows`` converts them, or ``raw_builders`` as it builds. None when
    the shape does not qualify: the caller runs the normal path.
    """
    found = root_statement(node, queryset)
    if found is None:
        return None
    template, values = found
    return template.fetch(queryset.db, values), template.convert


def root_chunks(
    node: Node, queryset: QuerySet[Any], size: int
) -> tuple[Iterator[list[Row]], Conversion] | None:
    """Return the root rows of ``node`` over ``queryset`` in chunks of ``size`` (``stream()``),
    as fetched, and their conversion.

    None when the shape does not qualify: the caller iterates ``values_list()`` instead.
    """
    found = root_statement(node, queryset)
    if found is None:
        return None
    template, values = found
    return template.chunks(queryset.db, values, size), template.convert


def root_statement(node: Node, queryset: QuerySet[Any]) -> tuple[Template, list[Any]] | None:
    """Return the compiled root statement of ``node`` over ``queryset`` and its new values.

    None when the shape does not qualify.
    """
    if not _fast_path.on:
        return None
    using = queryset.db
    caller = _caller_where(queryset, using)
    if caller is None:
        return None
    shape, where_sql, where_params = caller
    key = ("root", id(node), using, shape, where_sql)
    template = _cached(key, node, lambda: _root_template(node, queryset, where_sql, where_params))
    if template is None:
        return None
    return template, where_params


def _caller_where(
    queryset: QuerySet[Any], using: str
) -> tuple[tuple[Any, ...], str, list[Any]] | None:
    """Return what keys a statement made from the caller's ``queryset``, and its new values.

    That is (the queryset's class and :func:`query_shape`, its WHERE SQL, its WHERE
    parameters), or None when the queryset does not qualify: not :func:`_plain_queryset`,
    no shape, or a WHERE clause that selects nothing (``pk__in=[]``: the normal path knows).
    """
    if not _plain_queryset(queryset):
        return None
    shape = query_shape(queryset.query)
    if shape is None:
        return None
    try:
        where_sql, where_params = _compile_where(queryset.query, using)
    except EmptyResultSet:
        return None
    return (type(queryset), shape), where_sql, where_params


def _plain_queryset(queryset: QuerySet[Any]) -> bool:
    """Return True if the queryset is a model queryset that Django iterates its own way."""
    cls = type(queryset)
    return (
        cls.__iter__ is QuerySet.__iter__
        and cls._fetch_all is QuerySet._fetch_all
        and cls.values_list is QuerySet.values_list
        and cls.annotate is QuerySet.annotate
        and queryset._result_cache is None
        and queryset._iterable_class is ModelIterable
        and getattr(queryset, "_fields", None) is None
    )


# Query attributes the shape covers (or that only cache or count what it covers); any other
# attribute of the caller's query must hold its default, or the query does not qualify.
_SHAPE_ATTRIBUTES = frozenset(
    {"where", "order_by", "low_mark", "high_mark", "default_ordering", "standard_ordering",
     "alias_map", "alias_refcount", "table_map", "used_aliases", "_lookup_joins",
     "filter_is_sticky", "_annotation_select_cache", "_extra_select_cache", "model"}
)  # fmt: skip
_PLAIN_VALUES = (int, float, str, bool, Decimal, date, datetime, time, UUID)
_pristine: dict[type[Model], Query] = {}


def query_shape(query: Query) -> tuple[Any, ...] | None:
    """Return what decides the SQL of ``query`` except its WHERE values, or None.

    Only a query of one table qualifies: its WHERE clause an AND of plain lookups on its own
    columns against plain values (a list of them for ``__in``), ordered by field names, maybe
    sliced; every other attribute at its default (an annotation, a join, ``distinct()``,
    ``select_for_update()``, ``extra()``, a subquery... each makes it None).
    """
    model = query.model
    assert model is not None
    pristine = _pristine.get(model)
    if pristine is None:
        pristine = _pristine[model] = Query(model)
    for name, value in vars(query).items():
        if name not in _SHAPE_ATTRIBUTES and value != getattr(pristine, name, _MISSING):
            return None
    table = model._meta.db_table
    if list(query.alias_map) not in ([], [table]):
        return None
    if not all(isinstance(order, str) for order in query.order_by):
        return None
    where = query.where
    if where.connector != AND or where.negated:
        return None
    lookups = []
    for child in where.children:
        if not isinstance(child, Lookup) or not isinstance(child.lhs, Col):
            return None
        if child.lhs.alias != table or not child.rhs_is_direct_value():
            return None
        rhs = child.rhs
        if isinstance(rhs, list | tuple):
            if not all(isinstance(item, _PLAIN_VALUES) for item in rhs):
                return None
            rhs_shape: Any = ("many", len(rhs))
        elif isinstance(rhs, _PLAIN_VALUES) or rhs is None:
            rhs_shape = ("one", rhs is None)
        else:
            return None
        lookups.append((type(child), child.lhs.target, rhs_shape))
    return (
        model,
        tuple(lookups),
        tuple(query.order_by),
        query.default_ordering,
        query.standard_ordering,
        query.low_mark,
        query.high_mark,
    )


_MISSING = object()


def _compile_where(query: Query, using: str) -> tuple[str, list[Any]]:
    """Return the SQL and parameters of ``query``'s WHERE clause ("" when it has none)."""
    if not query.where.children:
        return "", []
    try:
        sql, params = query.get_compiler(using=using).compile(query.where)
    except FullResultSet:
        return "", []
    return str(sql), list(params)


def _root_template(
    node: Node, queryset: QuerySet[Any], where_sql: str, where_params: Sequence[Any]
) -> Template | None:
    rows_queryset = root_values(node, queryset)
    rows_compiler = rows_queryset.query.get_compiler(using=queryset.db)
    sql, params = rows_compiler.as_sql()
    if not where_sql:
        slot = slice(len(params), len(params))
    else:
        clause = f" WHERE {where_sql}"
        if sql.count(clause) != 1:
            return None
        if len(_PLACEHOLDER.findall(where_sql)) != len(where_params):
            return None
        start = len(_PLACEHOLDER.findall(sql.split(clause, 1)[0]))
        slot = slice(start, start + len(where_params))
        if list(params[slot]) != list(where_params):
            return None
    return Template(str(sql), tuple(params), slot, converter(rows_queryset, rows_compiler))


# -- child queries ----------------------------------------------------------------------------


def child_rows(
    edge: ManyEdge,
    parents: Parents,
    using: str,
    source: QuerySet[Any] | None,
    proof_ids: Callable[[], list[object]],
) -> list[Row] | None:
    """Return ``edge``'s child rows for ``parents`` from a compiled statement, or None.

    ``parents`` selected by a subquery (``querysets.parents_subquery``) need ``source``, the
    caller's queryset the subquery is made of (None for a subquery of a child level: not
    compiled), and ``proof_ids``, which returns two distinct parent keys of this fetch (see
    :func:`_subquery_template`).
    """
    if not _fast_path.on:
        return None
    if isinstance(parents, QuerySet):
        if source is None:
            return None
        return _subquery_child_rows(edge, parents, using, source, proof_ids)
    if parents is ALL_PARENTS:
        if edge.child is not None and edge.child.count_many():
            return None  # the level below selects its parents by a subquery of this one
        key: tuple[Any, ...] = ("all", id(edge), using)
        values: Sequence[Any] = ()
    elif isinstance(parents, list | tuple):
        key = ("ids", id(edge), using, len(parents))
        values = parents
    else:
        return None
    template = _cached(key, edge, lambda: _child_template(edge, parents, using))
    if template is None:
        return None
    return template.run(using, values)


def _child_template(edge: ManyEdge, parents: Parents, using: str) -> Template | None:
    queryset = child_values(edge, parents, using)
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    array = False
    if parents is ALL_PARENTS:
        slot = slice(len(params), len(params))
    elif one_parent(edge, parents):
        found = _one_parent_slot(edge, parents, using, str(sql), params)
        if found is None:
            return None
        slot = found
    else:
        assert isinstance(parents, list | tuple)
        found_ids = _ids_slot(str(sql), params, parents)
        if found_ids is None:
            return None
        marker, slot = found_ids
        array = marker == _ANY
    return Template(str(sql), tuple(params), slot, converter(queryset, compiler), array)


_ANY = "= ANY(%s)"


def _ids_slot(sql: str, params: Sequence[Any], ids: Sequence[object]) -> tuple[str, slice] | None:
    """Return how a child statement by ``ids`` holds them, and where in ``params``.

    Either ``= ANY(%s)``, one array parameter (``querysets.AnyOf``, PostgreSQL), or ``IN
    (%s, ...)``, a placeholder per id: the marker must occur once in ``sql`` and its
    parameters must be exactly ``ids``. None otherwise (no ids, ids the backend prepared,
    e.g. UUIDs as text: not bindable as they are).
    """
    if not ids:
        return None
    in_list = "IN (" + ", ".join(["%s"] * len(ids)) + ")"
    for marker, bound in ((_ANY, [list(ids)]), (in_list, list(ids))):
        if sql.count(marker) == 1:
            start = len(_PLACEHOLDER.findall(sql.split(marker, 1)[0]))
            slot = slice(start, start + len(bound))
            return (marker, slot) if list(params[slot]) == bound else None
    return None


def _subquery_child_rows(
    edge: ManyEdge,
    parents: QuerySet[Any],
    using: str,
    source: QuerySet[Any],
    proof_ids: Callable[[], list[object]],
) -> list[Row] | None:
    """Return ``edge``'s child rows, its parents selected by a subquery of ``source``.

    Keyed like the root query, by ``source``'s shape and WHERE clause (the subquery holds
    that clause); each call binds ``source``'s WHERE parameters in the subquery.
    """
    if edge.child is not None and edge.child.count_many():
        return None  # the level below selects its parents by a subquery of this one
    caller = _caller_where(source, using)
    if caller is None:
        return None
    shape, where_sql, where_params = caller
    ids = proof_ids()
    if len(ids) < 2:
        return None  # nothing to prove the slot with this time; not cached, a later call may
    key = ("subquery", id(edge), using, shape, where_sql)
    template = _cached(
        key, edge, lambda: _subquery_template(edge, parents, using, where_params, ids)
    )
    if template is None:
        return None
    return template.run(using, where_params)


def _subquery_template(
    edge: ManyEdge,
    parents: QuerySet[Any],
    using: str,
    where_params: Sequence[Any],
    proof_ids: Sequence[object],
) -> Template | None:
    """Compile the child statement with its parents' subquery; find the subquery's slot.

    The proof: the same child query compiled for two parent ids (``IN (%s, %s)``, or ``=
    ANY(%s)`` on PostgreSQL) must be the statement's text with ``IN (<the subquery>)`` in
    place of the ids, word for word around it, with
    the same parameters there; the subquery's own parameters must be the caller's WHERE
    parameters, in order, and its placeholders as many. A new call's WHERE clause then goes
    exactly there. Anything else (ids the backend prepares, another layout) runs the normal
    path.
    """
    queryset = child_values(edge, parents, using)
    compiler = queryset.query.get_compiler(using=using)
    text, params = compiler.as_sql()
    sql = str(text)
    ids = list(proof_ids[:2])
    id_text, id_params = child_values(edge, ids, using).query.get_compiler(using=using).as_sql()
    id_sql = str(id_text)
    found_ids = _ids_slot(id_sql, id_params, ids)
    if found_ids is None:
        return None
    marker, id_slot = found_ids
    before, after = id_sql.split(marker)
    head, tail = before + "IN (", ")" + after
    if len(sql) < len(head) + len(tail) or not sql.startswith(head) or not sql.endswith(tail):
        return None
    inner = sql[len(head) : len(sql) - len(tail)]
    start, taken, count = id_slot.start, id_slot.stop - id_slot.start, len(where_params)
    if len(_PLACEHOLDER.findall(inner)) != count or len(params) != len(id_params) - taken + count:
        return None
    slot = slice(start, start + count)
    if list(params[slot]) != list(where_params):
        return None
    if list(params[:start]) != list(id_params[:start]):
        return None
    if list(params[slot.stop :]) != list(id_params[id_slot.stop :]):
        return None
    return Template(sql, tuple(params), slot, converter(queryset, compiler))


def _one_parent_slot(
    edge: ManyEdge, parents: Parents, using: str, sql: str, params: Sequence[Any]
) -> slice | None:
    """Return where the parent id sits in the one-parent statement (``parent = %s ... LIMIT``).

    Proved by compiling it again for another id: the SQL must be the same and exactly one
    parameter must differ, holding the id. Integer keys only (another id of the same type is
    then known); any other key runs the normal path, which slices the same way.
    """
    assert isinstance(parents, list | tuple)
    (parent,) = parents
    if type(parent) is not int:
        return None
    other_sql, other_params = (
        child_values(edge, [parent + 1], using).query.get_compiler(using=using).as_sql()
    )
    if str(other_sql) != sql or len(other_params) != len(params):
        return None
    differ = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
    if len(differ) != 1:
        return None
    (position,) = differ
    if params[position] != parent or other_params[position] != parent + 1:
        return None
    return slice(position, position + 1)


# -- converting rows --------------------------------------------------------------------------


def converter(queryset: QuerySet[Any, Any], compiler: Any) -> Conversion:
    """Return how fetched rows become ``values_list()`` tuples of ``queryset``.

    Generated once per statement: Django's converters of each column (only those that have
    any; a slow one replaced by its equivalent in ``fast_converters``, which may write its
    conversion inline, with a dict of converted values made per call) and the column order
    ``values_list()`` gives, in one tuple expression per row.
    """
    assert queryset._iterable_class is ValuesListIterable
    fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
    converters = fast_converters.replace(compiler.get_converters(fields), compiler.connection)
    order = _row_order(queryset)
    namespace: dict[str, Any] = {"_connection": compiler.connection}
    items = []
    setup = []
    for position in order:
        value = f"row[{position}]"
        if position in converters:
            functions, expression = converters[position]
            namespace[f"_e{position}"] = expression
            inlined = fast_converters.inline(functions)
            if inlined is not None:  # no Python call per value; its dict made per batch
                code = inlined.inline(f"_i{position}", value)
                namespace.update(code.names)
                setup.append(code.setup)
                value = code.expression
            else:
                for number, function in enumerate(functions):
                    namespace[f"_c{position}_{number}"] = function
                    value = f"_c{position}_{number}({value}, _e{position}, _connection)"
        items.append(value)
    names = dict(namespace)
    if not converters and order == list(range(len(order))) and len(order) == compiler.col_count:
        return Conversion(_as_is, names, tuple(setup), tuple(items))
    source = (
        "def convert(rows):\n"
        + "".join(f"    {line}\n" for line in setup)
        + f"    return [({''.join(item + ', ' for item in items)}) for row in rows]\n"
    )
    exec(source, namespace)
    return Conversion(namespace["convert"], names, tuple(setup), tuple(items))


def _as_is(rows: Sequence[Sequence[Any]]) -> list[Row]:
    return cast(list[Row], rows)  # fetchall()'s list of tuples, already as values_list() gives


def _row_order(queryset: QuerySet[Any, Any]) -> list[int]:
    """Return, for each ``values_list()`` key, its column's position in the statement.

    Django 6.1 selects the columns in the keys' order; 5.2 selects plain columns before
    annotations and reorders each row (``ValuesListIterable``), which this mirrors.
    """
    query = queryset.query
    fields = list(getattr(queryset, "_fields", None) or ())
    if django.VERSION >= (6, 1):
        return list(range(len(fields)))
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields += [name for name in query.annotation_select if name not in fields]
    index = {name: position for position, name in enumerate(names)}
    return [index[name] for name in fields]
