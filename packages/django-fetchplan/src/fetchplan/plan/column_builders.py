"""Column-wise DTO builders: a whole list of rows in, DTOs out, the DTOs made in C.

The generated row builders (``fetchplan.plan.row_builders``) cost one Python call per row, and
for a trusted pydantic DTO a second one (the trusted constructor, with its four slot writes).
For the DTOs of a query's own rows (a fetch's list, each ``stream()`` chunk, each child
level's rows) this module builds the same DTOs from iterators over the rows, consumed by C
functions (``map``, ``zip``, a zero-length ``deque``):

- a NamedTuple: each field, in declared order, is one column iterator (a row column
  ``map(itemgetter(i), rows)``; a to-many field ``map(grouped.get, map(itemgetter(pk), rows),
  repeat(()))``; a ``NotLoaded`` marker ``repeat(marker, n)``; a nested to-one DTO
  ``map(one, rows)``, with ``one`` that node's per-row builder, which keeps the fetch's
  identity map), zipped, or one ``itemgetter(*positions)`` a row when every field is a plain
  column; then ``tuple.__new__(DTO, values)`` mapped over them. No Python bytecode per row
  unless a field is a nested to-one DTO.
- a trusted plain pydantic DTO: instances ``object.__new__(DTO)``, their ``__dict__`` the
  field dicts of the node's generated per-row dict builder (one dict literal in declared field
  order, so ``model_dump()`` keeps that order), then pydantic's three other slots set through
  their descriptors, the one ``fields_set`` shared by every instance of the class as in
  ``dto_kinds.trusted_constructor``. One Python call per row (the dict literal) instead of two.
  Building the dicts in C too (``dict(zip(names, values))``) was measured slower than the dict
  literal, and the whole pure-C variant slower than the per-row builders (docs/performance.md).

Validated pydantic DTOs are not built here (pydantic validates their field dicts, made by the
per-row builder), nor nested to-one DTOs (per-row, see above). :func:`disabled` turns this
module off, for tests that compare it with the per-row builders and for ``bench.profile``.
Measured against the per-row builders in ``docs/performance.md`` ("What bounds ``stream()``").
"""

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any

from pydantic import BaseModel

from fetchplan.plan.compile import Node
from fetchplan.plan.dto_kinds import BuildKind, build_kind, field_types, shared_fields_set
from fetchplan.plan.fast_path import FastPath

Row = Sequence[Any]
RowBuilder = Callable[[Row], Any]

_COLUMN, _ONE, _MANY, _MISSING = range(4)
_new = object.__new__
# pydantic's slots and instance dict, set through their descriptors (no lookup by name per call).
_set_dict = vars(BaseModel)["__dict__"].__set__
_set_fields_set = vars(BaseModel)["__pydantic_fields_set__"].__set__
_set_extra = vars(BaseModel)["__pydantic_extra__"].__set__
_set_private = vars(BaseModel)["__pydantic_private__"].__set__
_fast_path = FastPath()
disabled = _fast_path.disabled
"""``with disabled():`` builds every DTO with the per-row builders (this module unused)."""


@dataclass(frozen=True)
class Layout:
    """How one node's DTO fields are read, in declared order (made once per node)."""

    kind: BuildKind
    names: tuple[str, ...]
    sources: tuple[tuple[int, Any], ...]
    """(what, argument) per field: (_COLUMN, row position), (_ONE, nested builder number),
    (_MANY, edge number), (_MISSING, marker)."""
    positions: Callable[[Row], Any] | None
    """``itemgetter`` of every field's position when all fields are plain columns (two or
    more); None otherwise."""
    pk: Callable[[Row], Any]
    in_order: bool
    """Every field a plain column, at positions 0, 1, 2, ...: a row of exactly that many
    columns is the DTO's values as it is (no ``itemgetter`` copy)."""


def applies(node: Node) -> bool:
    """Return True if ``node``'s DTOs are built here (NamedTuple or trusted pydantic DTOs)."""
    return _fast_path.on and layout(node) is not None


def layout(node: Node) -> Layout | None:
    """Return ``node``'s layout, or None when its DTOs are built row by row (made once)."""
    if "layout" not in node.column_layout:
        node.column_layout["layout"] = _make_layout(node)
    found: Layout | None = node.column_layout["layout"]
    return found


def _make_layout(node: Node) -> Layout | None:
    kind = build_kind(node.plan.dto, trusted=node.trusted)
    names = tuple(field_types(node.plan.dto))
    if kind is BuildKind.VALIDATED or not names:
        return None
    sources: dict[str, tuple[int, Any]] = {}
    for name, position in node.columns.items():
        sources[name] = (_COLUMN, position)
    for number, (name, _, _, _) in enumerate(node.ones):
        sources[name] = (_ONE, number)
    for number, edge in enumerate(node.manys):
        sources[edge.field] = (_MANY, number)
    for name, marker in node.missing:
        sources[name] = (_MISSING, marker)
    ordered = tuple(sources[name] for name in names)
    plain = [argument for what, argument in ordered if what == _COLUMN]
    positions = itemgetter(*plain) if len(plain) == len(ordered) > 1 else None
    in_order = plain == list(range(len(ordered)))
    return Layout(kind, names, ordered, positions, itemgetter(node.pk_index), in_order)


def build(
    node: Node,
    rows: Sequence[Row],
    ones: Sequence[RowBuilder],
    manys: Sequence[dict[Any, Any]],
    field_dicts: RowBuilder,
) -> list[Any]:
    """Return one DTO per row of ``rows``, in order (``applies(node)`` must hold).

    ``ones`` are the bound per-row builders of ``node``'s nested to-one DTOs, ``manys`` the
    children of each to-many edge grouped by parent key (as ``row_builders`` binds them);
    ``field_dicts`` is the node's generated per-row builder of field dicts (pydantic DTOs).
    """
    found = layout(node)
    assert found is not None
    count = len(rows)
    if not count:
        return []
    dto = node.plan.dto
    if found.kind is BuildKind.TUPLE:
        values = _values(found, rows, count, ones, manys)
        return list(map(partial(tuple.__new__, dto), values))
    return instances(dto, list(map(field_dicts, rows)))


def instances(dto: type[BaseModel], field_dicts: Sequence[dict[str, Any]]) -> list[Any]:
    """Return trusted pydantic DTOs of class ``dto``, one per field dict, made in C.

    Each instance's ``__dict__`` is its field dict (in declared order), its ``fields_set``
    the class's shared one, its extra and private slots None (``dto_kinds.trusted_constructor``).
    """
    made = list(map(_new, repeat(dto, len(field_dicts))))
    _drain(map(_set_dict, made, field_dicts))
    _drain(map(_set_fields_set, made, repeat(shared_fields_set(dto))))
    _drain(map(_set_extra, made, repeat(None)))
    _drain(map(_set_private, made, repeat(None)))
    return made


def _values(
    found: Layout,
    rows: Sequence[Row],
    count: int,
    ones: Sequence[RowBuilder],
    manys: Sequence[dict[Any, Any]],
) -> Iterator[Sequence[Any]]:
    """Return an iterator of each row's field values, in the DTO's declared order."""
    if found.in_order and len(rows[0]) == len(found.names):
        return iter(rows)  # no extra columns (keyset chunks append their key's at the end)
    if found.positions is not None:
        return map(found.positions, rows)
    columns: list[Iterator[Any]] = []
    for what, argument in found.sources:
        if what == _COLUMN:
            columns.append(map(itemgetter(argument), rows))
        elif what == _ONE:
            columns.append(map(ones[argument], rows))
        elif what == _MANY:
            columns.append(map(manys[argument].get, map(found.pk, rows), repeat(())))
        else:
            columns.append(repeat(argument, count))
    return zip(*columns, strict=True)  # every column has one item per row


def _drain(calls: Iterator[Any]) -> None:
    """Run every call of ``calls`` in C, keeping no result."""
    deque(calls, maxlen=0)
