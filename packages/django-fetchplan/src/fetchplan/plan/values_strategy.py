"""The values strategy: row tuples from ``values_list()``, no model instances (the default).

One query for the root rows (to-one relations joined in), then one query per to-many
relation for all parents at once: by a subquery of the parent queryset when it is unsliced
and has more than ``FEW_PARENTS`` rows (or with no parent filter for a whole table), else by
parent ids (in batches when they exceed the backend's parameter limit). Child rows
are turned into DTOs first, so parents are built in a single pass.
"""

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import QuerySet

from fetchplan.plan import column_builders, compiled_sql, raw_builders
from fetchplan.plan.compile import ManyEdge, Node
from fetchplan.plan.compiled_sql import Conversion
from fetchplan.plan.dto_kinds import BuildKind, build_kind, list_builder
from fetchplan.plan.querysets import (
    Parents,
    batch_size,
    child_queryset,
    child_rows,
    few_parents,
    parents_subquery,
)
from fetchplan.plan.row_builders import Row, RowBuilder, factory

_first, _second = itemgetter(0), itemgetter(1)
Children = dict[ManyEdge, dict[object, tuple[Any, ...]]]


class Identity:
    """Per-fetch map of node to {primary key: the DTO built for it}: one object per row."""

    def __init__(self) -> None:
        self.seen: dict[int, dict[object, Any]] = {}

    def of(self, node: Node) -> dict[object, Any]:
        """Return the DTOs built so far for ``node``, by primary key."""
        found = self.seen.get(id(node))
        if found is None:
            found = self.seen[id(node)] = {}
        return found


def build_rows(
    node: Node,
    rows: Sequence[Row],
    using: str,
    identity: Identity,
    source: QuerySet[Any] | None = None,
    conversion: Conversion | None = None,
) -> list[Any]:
    """Turn ``rows`` of ``node``'s query into DTOs, loading every to-many level below it.

    ``source`` is the queryset the rows came from, when the child queries may select their
    parents with a subquery of it instead of a list of ids (see ``parents_subquery``).
    ``conversion``: the rows are a compiled statement's as fetched, not yet converted; they
    are built as they are converted where ``raw_builders`` applies, else converted first.
    """
    if conversion is not None:
        if raw_builders.applies(node, conversion):
            children = _load_children(node, rows, using, identity, source)
            _, manys = _bindings(node, children, identity)  # no nested to-one DTOs here
            return raw_builders.build(node, conversion, rows, manys)
        rows = conversion(rows)
    children = _load_children(node, rows, using, identity, source)
    if column_builders.applies(node):  # NamedTuple or trusted pydantic DTOs, a list at once
        ones, manys = _bindings(node, children, identity)
        field_dicts = factory(node, nested=False, dicts=True)(identity.of(node), *ones, *manys)
        return column_builders.build(node, rows, ones, manys, field_dicts)
    build = _row_builder(node, children, identity, nested=False)
    if build_kind(node.plan.dto, trusted=node.trusted) is BuildKind.VALIDATED:
        return list_builder(node.plan.dto, trusted=node.trusted)(list(map(build, rows)))
    return list(map(build, rows))


def _row_builder(node: Node, children: Children, identity: Identity, *, nested: bool) -> RowBuilder:
    """Bind ``node``'s generated factory to this fetch's children and identity map."""
    ones, manys = _bindings(node, children, identity)
    make = factory(node, nested=nested)
    return make(identity.of(node), *ones, *manys)


def _bindings(
    node: Node, children: Children, identity: Identity
) -> tuple[list[RowBuilder], list[dict[object, tuple[Any, ...]]]]:
    """Return the bound row builders of ``node``'s nested to-one DTOs (they share this
    fetch's identity map) and its to-many children grouped by parent key, edge by edge."""
    ones = [_row_builder(child, children, identity, nested=True) for _, _, child, _ in node.ones]
    return ones, [children.get(edge, {}) for edge in node.manys]


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
        if parents is None or (isinstance(parents, QuerySet) and few_parents(len(rows), using)):
            keys = dict.fromkeys(map(itemgetter(owner.pk_index), rows))  # in order, once each
            keys.pop(None, None)  # a missing to-one row: no children to load
            parents = list(keys)
        proof_ids = partial(_two_keys, rows, owner.pk_index)
        for edge in owner.manys:
            loaded[edge] = _load_edge(edge, parents, using, identity, source, proof_ids)
    return loaded


def _two_keys(rows: Sequence[Row], index: int) -> list[object]:
    """Return the first two distinct non-null keys at ``index`` of ``rows`` (fewer if none)."""
    keys: list[object] = []
    for row in rows:
        key = row[index]
        if key is not None and key not in keys:
            keys.append(key)
            if len(keys) == 2:
                break
    return keys


def _load_edge(
    edge: ManyEdge,
    parents: Parents,
    using: str,
    identity: Identity,
    source: QuerySet[Any] | None,
    proof_ids: Callable[[], list[object]],
) -> dict[object, tuple[Any, ...]]:
    grouped: dict[object, tuple[Any, ...]] = {}
    parent_of = itemgetter(edge.parent_index)
    for batch in _batches(parents, using):
        children: QuerySet[Any] | None = None  # not built when a compiled statement runs
        rows: Sequence[Row] | None = compiled_sql.child_rows(edge, batch, using, source, proof_ids)
        if rows is None:
            children = child_queryset(edge, batch, using)
            rows = list(child_rows(edge, children))
        if edge.child is None:  # the rows themselves, by parent key: their scalar column
            _group(grouped, rows, parent_of, itemgetter(edge.scalar_index))
            continue
        # A subquery-selected level passes its own queryset on, so the level below it
        # selects its parents by subquery too; an id-list level passes ids.
        source = None if isinstance(batch, Sequence) else children
        if edge.shared:
            dtos = _build_shared(edge.child, rows, using, identity, source)
        else:  # through-model columns differ per parent: one DTO per row
            dtos = build_rows(edge.child, rows, using, identity, source)
        _group(grouped, zip(map(parent_of, rows), dtos, strict=True), _first, _second)
    return grouped


def _group(
    grouped: dict[object, tuple[Any, ...]],
    entries: Iterable[Any],
    key_of: Callable[[Any], object],
    item_of: Callable[[Any], Any],
) -> None:
    """Add the items of ``entries`` to ``grouped`` by their parent keys, as tuples in order.

    Child rows come ordered by parent key first (``querysets.child_rows``), so each parent's
    items are one run: ``groupby`` cuts the runs in C, with no Python call per row. A parent
    seen again (never, with that order) still keeps all its items. ``entries`` are the child
    rows themselves for a scalar level (no pair made per row), else (key, DTO) pairs.
    """
    for key, run in groupby(entries, key=key_of):
        values = tuple(map(item_of, run))
        grouped[key] = grouped[key] + values if key in grouped else values


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
    seen = identity.of(node)
    keys = list(map(itemgetter(node.pk_index), rows))
    fresh: dict[object, Row] = {}
    for key, row in zip(keys, rows, strict=True):
        if key not in seen and key not in fresh:
            fresh[key] = row
    if fresh:
        built = build_rows(node, list(fresh.values()), using, identity, source)
        seen.update(zip(fresh, built, strict=True))
    return list(map(seen.__getitem__, keys))
