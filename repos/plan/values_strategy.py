"""The values strategy: rows from ``values()``, no model instances (the fast default).

One query for the root rows (to-one relations joined in), then one query per to-many
relation for all parents at once (in batches when parents exceed the backend's parameter
limit). Child rows are turned into DTOs first, so parents are built in a single pass.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from repos.plan.compile import ManyEdge, Node
from repos.plan.dto_kinds import list_builder, one_builder
from repos.plan.querysets import batch_size, child_values, parent_key

Row = dict[str, Any]
Children = dict[ManyEdge, dict[object, tuple[Any, ...]]]


class Identity:
    """Per-fetch map of (node, primary key) to the DTO built for it: one object per row."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, object], Any] = {}


def build_rows(node: Node, rows: Sequence[Row], using: str, identity: Identity) -> list[Any]:
    """Turn ``rows`` of ``node``'s query into DTOs, loading every to-many level below it."""
    children = _load_children(node, rows, using, identity)
    fields = [_fields(node, row, children, identity) for row in rows]
    return list_builder(node.plan.dto)(fields)


def _fields(
    node: Node,
    row: Row,
    children: dict[ManyEdge, dict[object, tuple[Any, ...]]],
    identity: Identity,
) -> dict[str, Any]:
    """Return the DTO field values of ``node`` in ``row`` (nested DTOs built, children attached)."""
    prefix = node.prefix
    data = {name: row[prefix + path] for name, path in node.scalars}
    for name, alias in node.annotated:
        data[name] = row[alias]
    for name, _, child, _ in node.ones:
        data[name] = _nested(child, row, children, identity)
    if node.manys:
        pk = row[node.pk_key]
        for edge in node.manys:
            data[edge.field] = children[edge].get(pk, ())
    for name, marker in node.missing:
        data[name] = marker
    return data


def _nested(
    node: Node,
    row: Row,
    children: dict[ManyEdge, dict[object, tuple[Any, ...]]],
    identity: Identity,
) -> Any:
    pk = row[node.pk_key]
    if pk is None:
        return None  # a nullable FK or a missing reverse one-to-one
    key = (id(node), pk)
    dto = identity.seen.get(key)
    if dto is None:
        dto = one_builder(node.plan.dto)(_fields(node, row, children, identity))
        identity.seen[key] = dto
    return dto


def _load_children(node: Node, rows: Sequence[Row], using: str, identity: Identity) -> Children:
    """Run one query per to-many edge of ``node``'s query tree; group results by parent pk."""
    loaded: Children = {}
    for owner in node.walk():
        if not owner.manys:
            continue
        parent_ids = list(
            dict.fromkeys(r[owner.pk_key] for r in rows if r[owner.pk_key] is not None)
        )
        for edge in owner.manys:
            loaded[edge] = _load_edge(edge, parent_ids, using, identity) if parent_ids else {}
    return loaded


def _load_edge(
    edge: ManyEdge, parent_ids: list[object], using: str, identity: Identity
) -> dict[object, tuple[Any, ...]]:
    grouped: defaultdict[object, list[Any]] = defaultdict(list)
    size = batch_size(using)
    parent = parent_key(edge)
    for start in range(0, len(parent_ids), size):
        rows = list(child_values(edge, parent_ids[start : start + size], using))
        if edge.child is None:
            for row in rows:
                grouped[row[parent]].append(row[edge.scalar or "pk"])
            continue
        dtos = _build_shared(edge.child, rows, using, identity)
        for row, dto in zip(rows, dtos, strict=True):
            grouped[row[parent]].append(dto)
    return {parent: tuple(items) for parent, items in grouped.items()}


def _build_shared(node: Node, rows: list[Row], using: str, identity: Identity) -> list[Any]:
    """Build child DTOs, reusing one DTO per child row shared by several parents (M2M)."""
    key_of = id(node)
    fresh: dict[object, Row] = {}
    for row in rows:
        pk = row[node.pk_key]
        if (key_of, pk) not in identity.seen and pk not in fresh:
            fresh[pk] = row
    if fresh:
        built = build_rows(node, list(fresh.values()), using, identity)
        for pk, dto in zip(fresh, built, strict=True):
            identity.seen[(key_of, pk)] = dto
    return [identity.seen[(key_of, row[node.pk_key])] for row in rows]
