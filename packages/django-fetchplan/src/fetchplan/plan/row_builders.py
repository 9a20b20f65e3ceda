"""Generated per-node row builders: one row tuple in, one DTO (or one field dict) out.

The values strategy turns every row of every fetch into a DTO, so this is the engine's
innermost loop. Instead of a generic loop over a node's fields (``dict(zip())``, then one
assignment per relation, then ``DTO(**fields)``), each compiled node gets Python source
written for it once, on first use, and compiled with ``exec``: one dict literal or one
positional call per row, with every column's position a constant.

What a builder makes depends on the DTO (see ``dto_kinds.build_kind``):

- a NamedTuple of a proven plan: built by position, ``tuple.__new__(DTO, (row[0], ...))``;
- a plain pydantic DTO of a proven plan: built without validation, its ``__dict__`` one dict
  literal in the DTO's declared field order (so ``model_dump()`` keeps that order) and one
  ``fields_set`` shared by every instance of the class (frozen DTOs never change it);
- any other DTO (a NamedTuple of an unproven plan too): the builder returns the field dict,
  and pydantic validates it.

A builder is made per fetch from its node's generated factory, which binds what changes
between fetches: the children grouped by parent key, and the identity map of the fetch.

Where they still run: a query's own rows of NamedTuple and trusted pydantic DTOs (a fetch's
list, a ``stream()`` chunk, a child level) are built column-wise, with no Python call per row
(``fetchplan.plan.column_builders``). The builders here make nested to-one DTOs (one call per
row, inside a column: they keep the fetch's identity map), the field dicts of validated
pydantic DTOs, and every DTO inside ``column_builders.disabled()``.
"""

from collections.abc import Callable, Sequence
from typing import Any

from fetchplan.plan.compile import Node
from fetchplan.plan.dto_kinds import (
    BuildKind,
    build_kind,
    field_types,
    one_builder,
    trusted_constructor,
)

Row = Sequence[Any]
RowBuilder = Callable[[Row], Any]
Factory = Callable[..., RowBuilder]
"""Takes the node's bindings (see :func:`bindings`), returns its row builder."""


def factory(node: Node, *, nested: bool, dicts: bool = False) -> Factory:
    """Return the generated factory of ``node``'s row builders (made once per node).

    ``nested``: the node is a to-one DTO inside its parent's rows; its builder returns None
    for a missing related row and one DTO per related primary key (the fetch's identity).
    ``dicts``: the builder returns the row's field dict (one dict literal, declared order)
    whatever the DTO, for ``column_builders`` to make the DTOs of a whole list at once.
    """
    key = (nested, dicts)
    made: Factory | None = node.row_factories.get(key)
    if made is None:
        made = node.row_factories[key] = _generate(node, nested=nested, dicts=dicts)
    return made


def _generate(node: Node, *, nested: bool, dicts: bool = False) -> Factory:
    kind = build_kind(node.plan.dto, trusted=node.trusted)
    values, arguments = field_values(node)
    fields = dict_literal(values)
    if dicts:
        made = fields
    elif kind is BuildKind.TUPLE:
        made = tuple_of_dto(values)
    elif kind is BuildKind.TRUSTED:
        made = f"_construct({fields})"
    elif nested:
        made = f"_validate_one({fields})"
    else:
        made = fields  # validated with the other rows of the list
    lines = [f"def _factory(_seen, {''.join(a + ', ' for a in arguments)}):"]
    lines.append("    def build(row):")
    if nested:
        lines += [
            f"        pk = row[{node.pk_index}]",
            "        if pk is None:",
            "            return None  # a nullable FK or a missing reverse one-to-one",
            "        made = _seen.get(pk)",
            "        if made is None:",
            f"            made = _seen[pk] = {made}",
            "        return made",
        ]
    else:
        lines.append(f"        return {made}")
    lines.append("    return build")
    namespace = dto_namespace(node, kind)
    exec("\n".join(lines), namespace)
    generated: Factory = namespace["_factory"]
    return generated


def field_values(
    node: Node, column: Callable[[int], str] = "row[{}]".format
) -> tuple[list[tuple[str, str]], list[str]]:
    """Return (DTO field, Python expression) in declared order, and the factory's arguments.

    ``column`` writes the expression of the row's value at a position (``raw_builders``
    passes each column's conversion of the fetched row).
    """
    expressions: dict[str, str] = {}
    arguments: list[str] = []
    for name, position in node.columns.items():
        expressions[name] = column(position)
    for number, (name, _, _, _) in enumerate(node.ones):
        arguments.append(f"_one_{number}")
        expressions[name] = f"_one_{number}(row)"
    for number, edge in enumerate(node.manys):
        arguments.append(f"_many_{number}")
        expressions[edge.field] = f"_many_{number}.get(row[{node.pk_index}], ())"
    for number, (name, _) in enumerate(node.missing):
        expressions[name] = f"_missing[{number}]"
    return [(name, expressions[name]) for name in field_types(node.plan.dto)], arguments


def dict_literal(values: list[tuple[str, str]]) -> str:
    """Return the field dict's literal, fields in declared order (``model_dump()``'s order)."""
    return "{" + ", ".join(f"{name!r}: {value}" for name, value in values) + "}"


def tuple_of_dto(values: list[tuple[str, str]]) -> str:
    """Return the expression of a NamedTuple DTO made by position (``_dto`` its class)."""
    return f"_tuple_new(_dto, ({''.join(f'{value}, ' for _, value in values)}))"


def dto_namespace(node: Node, kind: BuildKind) -> dict[str, Any]:
    """Return the names the generated code of ``node``'s DTOs refers to."""
    dto = node.plan.dto
    namespace: dict[str, Any] = {
        "_dto": dto,
        "_missing": tuple(marker for _, marker in node.missing),
        "_tuple_new": tuple.__new__,
    }
    if kind is BuildKind.TRUSTED:
        namespace["_construct"] = trusted_constructor(dto)
    elif kind is BuildKind.VALIDATED:
        namespace["_validate_one"] = one_builder(dto, trusted=False)
    return namespace
