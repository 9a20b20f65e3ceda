"""What the engine needs to know about a DTO class, for pydantic models and NamedTuples alike.

How a DTO is built (:class:`BuildKind`): a NamedTuple of a proven plan by position; a plain
pydantic DTO of a proven plan without validation; any other DTO *validated* by pydantic from a
dict of field values (types are coerced and checked; nested pydantic DTO instances are kept as
they are, so identity survives). A NamedTuple of a plan the checks could not prove (a
``Literal`` field, say) is validated too: built by position, it would hold whatever the column
gave, whatever its annotation says. The values strategy generates its row builders from this
(``fetchplan.plan.row_builders``); the instances strategy builds from dicts.
"""

import typing
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from pydantic import BaseModel, TypeAdapter


def is_pydantic(dto: object) -> bool:
    """Return True if ``dto`` is a pydantic model class."""
    return isinstance(dto, type) and issubclass(dto, BaseModel)


def is_namedtuple(dto: object) -> bool:
    """Return True if ``dto`` is a NamedTuple class."""
    return isinstance(dto, type) and issubclass(dto, tuple) and hasattr(dto, "_fields")


def is_dto_class(value: object) -> bool:
    """Return True if ``value`` is a DTO class the engine can fill."""
    return isinstance(value, type) and (is_pydantic(value) or is_namedtuple(value))


class BuildKind(Enum):
    """How the engine builds one DTO class."""

    TUPLE = "NamedTuple of a proven plan, by position"
    TRUSTED = "plain pydantic DTO of a proven plan, without validation"
    VALIDATED = "any other DTO, validated by pydantic"


def build_kind(dto: type[Any], *, trusted: bool) -> BuildKind:
    """Return how to build ``dto``; ``trusted``: the plan's checks proved every field exact."""
    key = (dto, trusted)
    kind = _build_kinds.get(key)
    if kind is None:
        if not is_pydantic(dto):
            kind = BuildKind.TUPLE if trusted else BuildKind.VALIDATED
        else:
            kind = BuildKind.TRUSTED if trusted and is_plain(dto) else BuildKind.VALIDATED
        _build_kinds[key] = kind
    return kind


_build_kinds: dict[tuple[type[Any], bool], BuildKind] = {}


_field_types: dict[type[Any], dict[str, Any]] = {}
_fields_sets: dict[type[Any], set[str]] = {}
# Keyed by (DTO class, trusted): one DTO class may be filled by a proven plan and an unproven one.
_list_builders: dict[tuple[type[Any], bool], Callable[[Sequence[dict[str, Any]]], list[Any]]] = {}
_one_builders: dict[tuple[type[Any], bool], Callable[[dict[str, Any]], Any]] = {}


def field_types(dto: type[Any]) -> dict[str, Any]:
    """Return the DTO's field names, in declaration order, mapped to their annotations."""
    if dto not in _field_types:
        _field_types[dto] = _read_field_types(dto)
    return _field_types[dto]


def _read_field_types(dto: type[Any]) -> dict[str, Any]:
    if is_pydantic(dto):
        return {name: info.annotation for name, info in dto.model_fields.items()}
    if is_namedtuple(dto):
        hints = typing.get_type_hints(dto)
        return {name: hints[name] for name in dto._fields}
    raise TypeError(f"{dto!r} is neither a pydantic model nor a NamedTuple")


def list_builder(
    dto: type[Any], *, trusted: bool
) -> Callable[[Sequence[dict[str, Any]]], list[Any]]:
    """Return a function that turns a list of field dicts into a list of DTOs.

    ``trusted``: the plan's checks proved every field exact, so a plain pydantic DTO may skip
    validation. Otherwise pydantic validates: one ``TypeAdapter(list[DTO])`` call per batch
    (measured faster than one ``model_validate`` per row); the adapter is built once per class.
    """
    key = (dto, trusted)
    if key not in _list_builders:
        _list_builders[key] = _make_list_builder(dto, trusted=trusted)
    return _list_builders[key]


def _make_list_builder(
    dto: type[Any], *, trusted: bool
) -> Callable[[Sequence[dict[str, Any]]], list[Any]]:
    if build_kind(dto, trusted=trusted) is BuildKind.TRUSTED:
        construct = trusted_constructor(dto)

        def build_trusted(rows: Sequence[dict[str, Any]]) -> list[Any]:
            return [construct(row) for row in rows]

        return build_trusted
    if build_kind(dto, trusted=trusted) is BuildKind.VALIDATED:
        adapter: TypeAdapter[list[Any]] = TypeAdapter(list[dto])  # type: ignore[valid-type]  # DTO class known only at runtime
        return adapter.validate_python
    make = dto

    def build_tuples(rows: Sequence[dict[str, Any]]) -> list[Any]:
        return [make(**row) for row in rows]

    return build_tuples


def one_builder(dto: type[Any], *, trusted: bool) -> Callable[[dict[str, Any]], Any]:
    """Return a function that turns one dict of field values into a DTO (see list_builder)."""
    key = (dto, trusted)
    if key not in _one_builders:
        _one_builders[key] = _make_one_builder(dto, trusted=trusted)
    return _one_builders[key]


def _make_one_builder(dto: type[Any], *, trusted: bool) -> Callable[[dict[str, Any]], Any]:
    if build_kind(dto, trusted=trusted) is BuildKind.TRUSTED:
        return trusted_constructor(dto)
    if is_pydantic(dto):
        validate: Callable[[dict[str, Any]], Any] = dto.model_validate
        return validate
    if build_kind(dto, trusted=trusted) is BuildKind.VALIDATED:
        one: TypeAdapter[Any] = TypeAdapter(dto)
        return one.validate_python
    make = dto

    def build_tuple(row: dict[str, Any]) -> Any:
        return make(**row)

    return build_tuple


def is_plain(dto: type[BaseModel]) -> bool:
    """Return True if building ``dto`` needs nothing but its field values.

    That is: no validators, no private attributes, no ``model_post_init``, no field
    metadata (``Annotated[int, Field(gt=0)]`` constraints and ``AfterValidator``s live there,
    not among the decorators), no ``extra="allow"`` (its instances each need their own
    dict of extra fields, where the trusted constructor leaves None), and no configuration
    that changes or refuses values when validating (``str_strip_whitespace``,
    ``str_max_length``, ``allow_inf_nan=False``...: :data:`VALUE_SETTINGS`). Such a DTO
    filled by a plan can skip validation safely once the plan passed its checks at first
    compile: every field has a source, and each value's type is exactly the field's
    (fetchplan.E001, E003; ``fetchplan.plan.validate``).
    """
    decorators = dto.__pydantic_decorators__
    return not (
        decorators.field_validators
        or decorators.model_validators
        or decorators.validators
        or decorators.root_validators
        or dto.__private_attributes__
        or dto.__pydantic_post_init__
        or any(info.metadata for info in dto.model_fields.values())
        or dto.model_config.get("extra") == "allow"
        or dto.model_config.get("allow_inf_nan", True) is False
        or any(dto.model_config.get(setting) for setting in VALUE_SETTINGS)
    )


VALUE_SETTINGS = (
    "str_strip_whitespace",
    "str_to_lower",
    "str_to_upper",
    "str_min_length",
    "str_max_length",
    "use_enum_values",
    "coerce_numbers_to_str",
    "val_temporal_unit",
)
"""pydantic settings (``model_config``) that, when set, change or refuse a value as it is
validated: a DTO with any of them is always validated."""


def shared_fields_set(dto: type[BaseModel]) -> set[str]:
    """Return the one ``__pydantic_fields_set__`` shared by the DTOs the engine builds.

    Every field of an engine-built DTO is set, and a frozen DTO never changes its fields set
    (``model_copy()`` copies it before updating), so one set per class serves them all
    instead of a new set per DTO.
    """
    if dto not in _fields_sets:
        _fields_sets[dto] = set(dto.model_fields)
    return _fields_sets[dto]


def trusted_constructor(dto: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """Return a function that builds ``dto`` from a complete dict of trusted field values.

    It does what ``model_construct`` does for a complete dict, minus its per-field Python
    loop and its new fields set per DTO (see ``shared_fields_set``); the dict becomes the
    DTO's ``__dict__`` as it is, so its order is ``model_dump()``'s order. Measured against
    validation and ``model_construct`` in ``docs/performance.md``. Only for rows from the
    engine's own queries, once the plan's checks proved every field exact.
    """
    new = object.__new__
    set_attribute = object.__setattr__
    fields_set = shared_fields_set(dto)

    def construct(values: dict[str, Any]) -> Any:
        instance = new(dto)
        set_attribute(instance, "__dict__", values)
        set_attribute(instance, "__pydantic_fields_set__", fields_set)
        set_attribute(instance, "__pydantic_extra__", None)
        set_attribute(instance, "__pydantic_private__", None)
        return instance

    return construct
