"""The DTO side of the plugin: a DTO class's fields and what their annotations accept.

Read from mypy's view of the class: the fields pydantic's own mypy plugin collected (inherited
ones included), or a NamedTuple's fields. A class the plugin cannot read gives None, and the
rules that need it stay silent.
"""

from mypy.nodes import TypeInfo, Var
from mypy.subtypes import is_subtype
from mypy.types import (
    AnyType,
    Instance,
    NoneType,
    ProperType,
    TupleType,
    Type,
    UnionType,
    get_proper_type,
)

NOT_LOADED = "fetchplan.dto.NotLoaded"
PYDANTIC_METADATA = "pydantic-mypy-metadata"
BASE_MODEL = "pydantic.main.BaseModel"


def dto_fields(info: TypeInfo) -> dict[str, Type] | None:
    """Return the DTO's field names, in declaration order, with their annotations."""
    if info.tuple_type is not None:  # a NamedTuple
        names = info.metadata.get("namedtuple", {}).get("fields")
        if names is None:
            return None
        return dict(zip(names, info.tuple_type.items, strict=False))
    metadata = info.metadata.get(PYDANTIC_METADATA)
    if metadata is None:
        return None
    fields: dict[str, Type] = {}
    for name in metadata.get("fields", {}):
        symbol = info.get(name)
        node = symbol.node if symbol is not None else None
        if not isinstance(node, Var) or node.type is None:
            return None
        fields[name] = node.type
    return fields


def is_dto(info: TypeInfo) -> bool:
    """Return True for a class the engine can fill: a pydantic model or a NamedTuple."""
    return info.has_base(BASE_MODEL) or info.tuple_type is not None


def members(annotation: Type) -> list[ProperType]:
    """Return the members of a union annotation (or the annotation alone)."""
    proper = get_proper_type(annotation)
    if isinstance(proper, UnionType):
        return [get_proper_type(item) for item in proper.items]
    return [proper]


def is_not_loaded(member: ProperType) -> bool:
    return isinstance(member, Instance) and member.type.fullname == NOT_LOADED


def mentions_not_loaded(annotation: Type) -> bool:
    """Return True if the annotation accepts ``NotLoaded``."""
    return any(is_not_loaded(member) for member in members(annotation))


def accepts_none(annotation: Type) -> bool:
    """Return True if the annotation accepts None (or anything)."""
    return any(
        isinstance(member, (NoneType, AnyType)) or _is_object(member)
        for member in members(annotation)
    )


def without_not_loaded(annotation: Type) -> list[ProperType]:
    """Return the union's members other than ``NotLoaded``."""
    return [member for member in members(annotation) if not is_not_loaded(member)]


def tuple_element(annotation: Type) -> Type | None:
    """Return ``X`` for an annotation containing ``tuple[X, ...]``, else None."""
    for member in members(annotation):
        if isinstance(member, Instance) and member.type.fullname == "builtins.tuple":
            return member.args[0] if member.args else None
    return None


def dto_infos(annotation: Type) -> list[TypeInfo]:
    """Return the DTO classes an annotation accepts."""
    found = []
    for member in members(annotation):
        if isinstance(member, TupleType):
            member = member.partial_fallback
        if isinstance(member, Instance) and is_dto(member.type):
            found.append(member.type)
    return found


def _is_object(member: ProperType) -> bool:
    return isinstance(member, Instance) and member.type.fullname == "builtins.object"


def judgeable(member: ProperType) -> bool:
    """Return True for a member the type rule can judge exactly: a plain class.

    ``Literal[...]``, ``NewType``, type variables, callables...: a column of ``str`` may well
    fit them at run time (validated there), so the plugin does not judge them.
    """
    return (
        isinstance(member, Instance)
        and member.last_known_value is None
        and not member.type.is_newtype
        and not member.type.is_enum
    )


def accepts_value(annotation: Type, value: Type) -> bool | None:
    """Return whether a field typed ``annotation`` accepts a (non-NULL) ``value``.

    None when it cannot tell: the value's type is unknown, or the annotation holds something
    other than plain classes. ``int`` fits ``float`` (as at run time); a ``datetime`` does not
    fit a ``date`` field (pydantic refuses it, so does the run-time check).
    """
    proper_value = get_proper_type(value)
    if not isinstance(proper_value, Instance):
        return None
    concrete = [m for m in without_not_loaded(annotation) if not isinstance(m, NoneType)]
    if any(isinstance(m, AnyType) or _is_object(m) for m in concrete):
        return True
    if not concrete or not all(judgeable(m) for m in concrete):
        return None
    for member in concrete:
        assert isinstance(member, Instance)
        if (
            proper_value.type.fullname == "datetime.datetime"
            and member.type.fullname == "datetime.date"
        ):
            continue
        if is_subtype(proper_value, member):
            return True
    return False
