"""DTOs straight from a compiled statement's fetched rows: converting and building in one pass.

A compiled root statement (``compiled_sql``) converts its fetched rows into ``values_list()``
tuples (one new tuple a row, Django's converters applied), then ``column_builders`` turns
those into DTOs (for pydantic, one Python call a row making the field dict). Here the two are
one generated list comprehension over the fetched rows: each DTO field is its column's
conversion expression (``compiled_sql.Conversion.items``) written into the DTO's dict literal
(pydantic) or positional tuple (NamedTuple). No converted tuple is made, and no Python call
a row.

It applies (:func:`applies`) where ``column_builders`` does (NamedTuple or trusted pydantic
DTOs) and the node has no nested to-one DTO (their builders read converted rows) and its
primary key column is not converted: the rows then give the same keys as converted rows,
so the child levels are loaded and grouped from them unchanged. Anything else converts the
rows first (``Conversion``) and takes the usual builders. :func:`disabled` turns this module
off, for tests that compare both paths and for ``bench.profile``.
"""

from collections.abc import Callable, Sequence
from typing import Any

from fetchplan.plan import column_builders
from fetchplan.plan.compile import Node
from fetchplan.plan.compiled_sql import Conversion
from fetchplan.plan.dto_kinds import BuildKind
from fetchplan.plan.fast_path import FastPath
from fetchplan.plan.row_builders import dict_literal, dto_namespace, field_values, tuple_of_dto

Row = Sequence[Any]
Build = Callable[[Sequence[Row]], list[Any]]
_fast_path = FastPath()
disabled = _fast_path.disabled
"""``with disabled():`` fetched rows are converted first, then built (this module unused)."""


def applies(node: Node, conversion: Conversion) -> bool:
    """Return True if ``node``'s DTOs can be built from ``conversion``'s fetched rows."""
    return (
        _fast_path.on
        and not node.ones
        and conversion.items[node.pk_index] == f"row[{node.pk_index}]"
        and column_builders.applies(node)
    )


def build(
    node: Node, conversion: Conversion, rows: Sequence[Row], manys: Sequence[dict[Any, Any]]
) -> list[Any]:
    """Return one DTO per fetched row of ``rows``, in order (``applies`` must hold).

    ``manys`` are the node's children of each to-many edge, grouped by parent key.
    """
    if not rows:
        return []
    made = _factory(node, conversion)(*manys)(rows)
    layout = column_builders.layout(node)
    assert layout is not None
    if layout.kind is BuildKind.TUPLE:
        return made
    return column_builders.instances(node.plan.dto, made)


def _factory(node: Node, conversion: Conversion) -> Callable[..., Build]:
    """Return the generated factory of ``node``'s builder over ``conversion``'s rows (once)."""
    entry = conversion.builders.get(id(node))
    if entry is not None and entry[0] is node:
        factory: Callable[..., Build] = entry[1]
        return factory
    factory = _generate(node, conversion)
    conversion.builders[id(node)] = (node, factory)
    return factory


def _generate(node: Node, conversion: Conversion) -> Callable[..., Build]:
    values, arguments = field_values(node, conversion.items.__getitem__)  # no ones: _many_N
    layout = column_builders.layout(node)
    assert layout is not None
    # A pydantic DTO's field dict, in declared order: column_builders makes the instances.
    made = tuple_of_dto(values) if layout.kind is BuildKind.TUPLE else dict_literal(values)
    lines = [
        f"def _factory({', '.join(arguments)}):",
        "    def build(rows):",
        *(f"        {line}" for line in conversion.setup),
        f"        return [{made} for row in rows]",
        "    return build",
    ]
    namespace = {**conversion.names, **dto_namespace(node, layout.kind)}
    exec("\n".join(lines), namespace)
    generated: Callable[..., Build] = namespace["_factory"]
    return generated
