"""Type rules shared by the engine and its checks: DTO annotations vs Python column types."""

import datetime
import decimal
import enum
import types
import typing
import uuid
from typing import Any

from django.db import models

from fetchplan.dto import NotLoaded
from fetchplan.plan.dto_kinds import is_dto_class

# Python type of a column, by Django field class (checked in order: subclasses first).
COLUMN_TYPES: "tuple[tuple[type[models.Field[Any, Any]], type], ...]" = (
    (models.BooleanField, bool),
    (models.DateTimeField, datetime.datetime),
    (models.DateField, datetime.date),
    (models.TimeField, datetime.time),
    (models.DurationField, datetime.timedelta),
    (models.DecimalField, decimal.Decimal),
    (models.FloatField, float),
    (models.IntegerField, int),
    (models.AutoField, int),
    (models.BigAutoField, int),
    (models.SmallAutoField, int),
    (models.UUIDField, uuid.UUID),
    (models.CharField, str),
    (models.TextField, str),
)


def accepts(declared: Any, actual: type) -> bool:
    """Return True if a field declared ``declared`` can hold a column value of ``actual``."""
    if not isinstance(declared, type):
        return True  # Literal, Annotated, TypeVar...: not judged here
    if issubclass(declared, enum.Enum):
        return True  # TextChoices, IntEnum...: not judged here either (nor by the mypy plugin)
    if declared is float and actual is int:
        return True
    if declared is datetime.date and actual is datetime.datetime:
        return False
    return issubclass(actual, declared)


def python_type(field: Any) -> type | None:
    """Return the Python type a model field's column holds (None when not judged here)."""
    if getattr(field, "is_relation", False):
        target = getattr(field, "target_field", None)
        return python_type(target) if target is not None else None
    for field_class, column_type in COLUMN_TYPES:
        if isinstance(field, field_class):
            return column_type
    return None


def union_args(annotation: Any) -> tuple[Any, ...]:
    """Return the members of a union annotation (or the annotation alone)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return typing.get_args(annotation)
    return (annotation,)


def tuple_element(annotation: Any) -> Any:
    """Return ``X`` for an annotation containing ``tuple[X, ...]``, else None."""
    for arg in union_args(annotation):
        if typing.get_origin(arg) is tuple:
            inner = typing.get_args(arg)
            if len(inner) == 2 and inner[1] is Ellipsis:
                return inner[0]
    return None


def dto_types(annotation: Any) -> list[type]:
    """Return the DTO classes an annotation accepts."""
    return [arg for arg in union_args(annotation) if is_dto_class(arg)]


def mentions_not_loaded(annotation: Any) -> bool:
    """Return True if the annotation accepts ``NotLoaded``."""
    return NotLoaded in union_args(annotation)


def describe_type(annotation: Any) -> str:
    """Return a readable name for an annotation, for messages."""
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")
