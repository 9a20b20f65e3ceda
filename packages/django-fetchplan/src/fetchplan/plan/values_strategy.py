"""The values strategy: row tuples from ``values_list()``, no model instances (the default).

One query for the root rows (to-one relations joined in), then one query per to-many
relation for all parents at once: by a subquery of the parent queryset when it is unsliced,
else by parent ids (in batches when they exceed the backend's parameter limit). Child rows
are turned into DTOs first, so parents are built in a single pass.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

from fetchplan.plan.compile import ManyEdge, Node
from fetchplan.plan.dto_kinds import list_builder, one_builder
from fetchplan.plan.querysets import (
    Parents,
    batch_size,
    child_queryset,
    child_rows,
    parents_subquery,
)

Row = Sequence[Any]
Children = dict[ManyEdge, dict[object, tuple[Any, ...]]]


class Identity:
    """Per-fetch map of (node, primary key) to the DTO built for it: one object per row."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, object], Any] = {}


def build_rows(
    node: Node,
    rows: Sequence[Row],
    using: str,
    identity: Identity,
    source: QuerySet[Any] | None = None,
) -> list[Any]:
    """Turn ``rows`` of ``node``'s query into DTOs, loading every to-many level below it.

    ``source`` is the queryset the rows came from, when the child queries may select their
    parents with a subquery of it instead of a list of ids (see ``parents_subquery``).
    """
    children = _load_children(node, rows, using, identity, source)
    fields_of = _fields_builder(node, children, identity)
    return list_builder(node.plan.dto, trusted=node.trusted)([fields_of(row) for row in rows])


def _fields_builder(
    node: Node, children: Children, identity: Identity
) -> Callable[[Row], dict[str, Any]]:
    """Return a function from a row tuple to ``node``'s DTO field values.

    Everything that does not depend on the row is looked up once here, not once per row:
    this function runs for every row of every fetch.
    """
    names, values, pk_index, missing = (
        node.column_names,
        node.column_values,
        node.pk_index,
        node.missing,
    )
    ones = [(name, _nested_builder(child, children, identity)) for name, _, child, _ in node.ones]
    manys = [(edge.field, children.get(edge, {})) for edge in node.manys]

    def fields_of(row: Row) -> dict[str, Any]:
        data = dict(zip(names, values(row)))  # noqa: B905  (lengths equal by construction)
        for name, nested in ones:
            data[name] = nested(row)
        if manys:
            pk = row[pk_index]
            for name, groups in manys:
                data[name] = groups.get(pk, ())
        for name, marker in missing:
            data[name] = marker
        return data

    return fields_of


def _nested_builder(node: Node, children: Children, identity: Identity) -> Callable[[Row], Any]:
    """Return a function from a row to the to-one DTO in it (one object per related row)."""
    fields_of = _fields_builder(node, children, identity)
    build = one_builder(node.plan.dto, trusted=node.trusted)
    seen = identity.seen
    key_of, pk_index = id(node), node.pk_index

    def nested(row: Row) -> Any:
        pk = row[pk_index]
        if pk is None:
            return None  # a nullable FK or a missing reverse one-to-one
        dto = seen.get((key_of, pk))
        if dto is None:
            dto = seen[(key_of, pk)] = build(fields_of(row))
        return dto

    return nested


def _load_children(
    node: Node, rows: Sequence[Row], using: str, identity: Identity, source: QuerySet[Any] | None
) -> Children:
    """Run one query per to-many edge of ``node``'s query tree; group results by parent pk."""
    loaded: Children = {}
    if not rows:
        return loaded
    for owner in node.walk():
        if not owner.manys:
            continue
        parents: Parents | None = None if source is None else parents_subquery(source, owner)
        if parents is None:
            pk = owner.pk_index
            parents = list(dict.fromkeys(row[pk] for row in rows if row[pk] is not None))
        for edge in owner.manys:
            loaded[edge] = _load_edge(edge, parents, using, identity)
    return loaded


def _load_edge(
    edge: ManyEdge, parents: Parents, using: str, identity: Identity
) -> dict[object, tuple[Any, ...]]:
    grouped: defaultdict[object, list[Any]] = defaultdict(list)
    parent = edge.parent_index
    for batch in _batches(parents, using):
        children = child_queryset(edge, batch, using)
        rows = list(child_rows(edge, children))
        if edge.child is None:
            value = edge.scalar_index
            for row in rows:
                grouped[row[parent]].append(row[value])
            continue
        # A subquery-selected level passes its own queryset on, so the level below it
        # selects its parents by subquery too; an id-list level passes ids.
        source = None if isinstance(batch, Sequence) else children
        dtos = _build_shared(edge.child, rows, using, identity, source)
        for row, dto in zip(rows, dtos, strict=True):
            grouped[row[parent]].append(dto)
    return {key: tuple(items) for key, items in grouped.items()}


def _batches(parents: Parents, using: str) -> list[Parents]:
    """Split an id list to fit the backend's parameter limit; a subquery is one batch."""
    if not isinstance(parents, Sequence):
        return [parents]
    if not parents:
        return []
    size = batch_size(using)
    return [parents[start : start + size] for start in range(0, len(parents), size)]


def _build_shared(
    node: Node, rows: Sequence[Row], using: str, identity: Identity, source: QuerySet[Any] | None
) -> list[Any]:
    """Build child DTOs, reusing one DTO per child row shared by several parents (M2M)."""
    key_of = id(node)
    pk = node.pk_index
    fresh: dict[object, Row] = {}
    for row in rows:
        if (key_of, row[pk]) not in identity.seen and row[pk] not in fresh:
            fresh[row[pk]] = row
    if fresh:
        built = build_rows(node, list(fresh.values()), using, identity, source)
        for key, dto in zip(fresh, built, strict=True):
            identity.seen[(key_of, key)] = dto
    return [identity.seen[(key_of, row[pk])] for row in rows]
