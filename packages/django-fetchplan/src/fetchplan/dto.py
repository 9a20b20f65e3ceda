"""The DTO base class and ``NotLoaded``, the marker of a relation a fetch plan left out.

This module imports no Django: DTO modules build on it and stay readable, testable and
type-checkable without settings.

``NotLoaded`` is a class, not a bare singleton, so that each value can carry *which* DTO
field it stands for and *which* plan left it out; touching it raises ``RelationNotLoaded``
with all three and the way to fix it. Narrow a ``X | NotLoaded`` field with ``isinstance``
(mypy understands it), :func:`is_loaded`, or :func:`require`::

    if isinstance(book.reviews, NotLoaded):
        ...                      # the plan did not load reviews
    else:
        total = len(book.reviews)

Strict: reading an attribute, indexing, iterating, ``len()``, ``in``, ``bool()``, ``str()``,
``format()`` / f-strings, and ``==`` / ``!=`` against anything but another ``NotLoaded`` all
raise (so a template's ``{{ book.reviews }}`` fails instead of printing a placeholder, and
``book.reviews == ()`` cannot quietly be False). ``repr()``, hashing, copying and pickling
work, so debuggers, logs of ``repr`` and caches keep working.

JSON: a NotLoaded field is *omitted* from ``model_dump()`` / ``model_dump_json()`` (an API
client cannot tell "not loaded" from "empty" otherwise), and such fields are not listed as
required in the JSON schema. All NotLoaded values compare equal, and :class:`DTO` compares
field by field without touching them: two DTOs that both lack a relation are equal, a DTO that
lacks it and one that has it are not.
"""

from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, override

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, model_serializer
from pydantic_core import PydanticOmit, core_schema
from typing_extensions import TypeIs

__all__ = ["DTO", "NotLoaded", "RelationNotLoaded", "is_loaded", "require"]

RELATION_NOT_LOADED = (
    "{dto}.{field} was not loaded by plan {plan}, so {action} is not possible. "
    "Load it in that plan (add {field!r} to its relations), or narrow the value first: "
    "`if not isinstance(value, NotLoaded)`."
)
UNKNOWN_PLAN = "<no plan: NotLoaded was created by hand>"


class RelationNotLoaded(RuntimeError):
    """Raised when code touches a relation that the fetch plan did not load.

    A ``RuntimeError`` on purpose: Django templates silently swallow ``AttributeError`` and
    friends during variable lookup, and this must never be silent.
    """


class NotLoaded:
    """A relation the fetch plan did not load; any use of it raises ``RelationNotLoaded``."""

    __slots__ = ("dto", "field", "plan")
    dto: str
    field: str
    plan: str

    def __init__(self, dto: str = "?", field: str = "?", plan: str = UNKNOWN_PLAN) -> None:
        object.__setattr__(self, "dto", dto)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "plan", plan)

    def fail(self, action: str) -> NoReturn:
        """Raise ``RelationNotLoaded`` explaining that ``action`` needs this relation."""
        raise RelationNotLoaded(
            RELATION_NOT_LOADED.format(
                dto=self.dto, field=self.field, plan=self.plan, action=action
            )
        )

    @override
    def __repr__(self) -> str:
        return f"NotLoaded({self.dto}.{self.field}, plan={self.plan})"

    @override
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NotLoaded):
            self.fail(f"comparing it with {type(other).__name__}")
        return True

    @override
    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    @override
    def __str__(self) -> str:
        self.fail("str()")

    @override
    def __format__(self, format_spec: str) -> str:
        self.fail("formatting it (format() or an f-string)")

    @override
    def __hash__(self) -> int:
        return hash(NotLoaded)

    @override
    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("NotLoaded is immutable")

    @override
    def __reduce__(self) -> tuple[type["NotLoaded"], tuple[str, str, str]]:
        return (NotLoaded, (self.dto, self.field, self.plan))

    def __copy__(self) -> "NotLoaded":
        return self  # immutable

    def __deepcopy__(self, memo: dict[int, object]) -> "NotLoaded":
        return self

    # Hidden from mypy: if the type checker saw __getattr__, it would accept `x.name` on an
    # unnarrowed `X | NotLoaded`, which is exactly what must fail to type-check.
    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> NoReturn:
            if name.startswith("__") and name.endswith("__"):
                raise AttributeError(name)  # protocol probes (copy, pickle) must stay quiet
            self.fail(f"reading .{name}")

        def __getitem__(self, key: object) -> NoReturn:
            self.fail(f"indexing [{key!r}]")

        def __iter__(self) -> NoReturn:
            self.fail("iterating over it")

        def __len__(self) -> NoReturn:
            self.fail("len()")

        def __contains__(self, item: object) -> NoReturn:
            self.fail("`in`")

        def __bool__(self) -> NoReturn:
            self.fail("testing its truth value")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Accepted only as an instance (never parsed from input); serialized as None and then
        # dropped by DTO's model serializer.
        return core_schema.is_instance_schema(
            cls,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda _: None),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: Any) -> NoReturn:
        raise PydanticOmit


def is_loaded[T](value: T | NotLoaded) -> TypeIs[T]:
    """Return True if ``value`` was loaded (narrows ``X | NotLoaded`` to ``X`` for mypy)."""
    return not isinstance(value, NotLoaded)


def require[T](value: T | NotLoaded) -> T:
    """Return ``value`` narrowed to ``X``, or raise ``RelationNotLoaded`` if it was not loaded."""
    if isinstance(value, NotLoaded):
        value.fail("require()")
    return value


def _drop_not_loaded_from_required(schema: dict[str, Any], cls: type[Any]) -> None:
    """Mark fields typed ``X | NotLoaded`` as optional in the JSON schema (they may be omitted)."""
    fields = getattr(cls, "model_fields", {})
    maybe_missing = {
        name
        for name, info in fields.items()
        if "NotLoaded" in repr(info.annotation)  # cheap, and only at schema-build time
    }
    if "required" in schema:
        schema["required"] = [name for name in schema["required"] if name not in maybe_missing]


class DTO(BaseModel):
    """Base of pydantic DTOs: frozen (hashable, immutable) and strict about unknown fields.

    Collections on DTOs should be ``tuple[...]``: frozen is shallow, a list would stay mutable.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra=_drop_not_loaded_from_required
    )

    @override
    def __eq__(self, other: object) -> bool:
        # NotLoaded refuses `==` against a value; pydantic's comparison would ask it. A field
        # loaded on one side and not on the other makes the DTOs unequal, without asking.
        if isinstance(other, DTO) and _not_loaded_fields(self) != _not_loaded_fields(other):
            return False
        return super().__eq__(other)

    @model_serializer(mode="wrap")
    def _omit_not_loaded(self, handler: Any) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name, value in self.__dict__.items():
                if isinstance(value, NotLoaded):
                    data.pop(name, None)
        return data


def _not_loaded_fields(dto: DTO) -> frozenset[str]:
    """Return the names of ``dto``'s fields that hold ``NotLoaded``."""
    return frozenset(name for name, value in dto.__dict__.items() if isinstance(value, NotLoaded))
