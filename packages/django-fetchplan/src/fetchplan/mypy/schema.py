"""The model side of the plugin: Django's own model registry, read inside the mypy process.

django-stubs' plugin sets Django up in the process that runs mypy (it needs the models to type
querysets), so the models' ``_meta`` is there to ask: paths resolve exactly as they do at run
time, reverse relations and ``related_name`` included. Column types come from django-stubs'
field stubs (the ``__get__`` type of ``CharField`` is ``str``...), nullability from the model
fields' ``null=True`` and from reverse hops, the rule the engine applies at run time. When
Django is not set up (no django plugin), every lookup answers None and the plugin is silent.
"""

from dataclasses import dataclass
from typing import Any

from mypy.checker import TypeChecker
from mypy.nodes import TypeInfo
from mypy.plugin import CheckerPluginInterface
from mypy.types import AnyType, Instance, Type, TypeOfAny
from mypy_django_plugin.lib import helpers

_models: dict[str, Any] = {}


def model_class(info: TypeInfo) -> Any:
    """Return the run-time model class of a model's TypeInfo, or None."""
    if not _models:
        try:
            from django.apps import apps

            if not apps.ready:
                return None
            _models.update(
                (fullname(model), model) for model in apps.get_models(include_auto_created=True)
            )
        except Exception:  # Django not configured in this mypy run: say nothing
            return None
    return _models.get(info.fullname)


def fullname(model: Any) -> str:
    """Return the dotted name mypy knows a model class by."""
    return f"{model.__module__}.{model.__qualname__}"


def get_field(model: Any, name: str) -> Any:
    """Return ``model``'s field or relation ``name`` (``pk`` included), or None."""
    from django.core.exceptions import FieldDoesNotExist

    if name == "pk":
        return model._meta.pk
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def unfollowable(field: Any) -> str | None:
    """Return why a plan cannot follow ``field`` (a generic relation), or None.

    The run-time rule (``fetchplan.plan.paths.unfollowable``); a ``GenericForeignKey`` has no
    related model, so following it would leave the plugin nowhere to look.
    """
    from fetchplan.plan.paths import unfollowable as why_not

    return why_not(field)


def to_many_hop(model: Any, path: str) -> str | None:
    """Return the first to-many relation ordering path ``path`` crosses (the run-time rule,
    ``fetchplan.plan.paths.to_many_hop``), or None."""
    from fetchplan.plan.paths import to_many_hop as hop

    return hop(model, path)


def is_to_one(field: Any) -> bool:
    """Return True for a FK or one-to-one field, either direction."""
    return bool(field.many_to_one or field.one_to_one)


def is_reverse(field: Any) -> bool:
    """Return True for a reverse relation (no column on this model)."""
    from django.db.models import ForeignObjectRel

    return isinstance(field, ForeignObjectRel)


@dataclass(frozen=True)
class Resolved:
    """Where a path ends: the field, and whether any hop or the column can be NULL."""

    field: Any
    nullable: bool


def resolve_path(model: Any, path: str) -> Resolved | str:
    """Follow ``path`` through to-one relations; return where it ends or what is wrong.

    The same rule as the run-time ``fetchplan.plan.paths.resolve_path``: every hop but the
    last is a to-one relation, and the last is not a to-many relation.
    """
    current = model
    nullable = False
    parts = path.split("__")
    field: Any = None
    for i, part in enumerate(parts):
        field = get_field(current, part)
        if field is None:
            return f"{current.__name__} has no field or relation {part!r} (path {path!r})"
        why = unfollowable(field)
        if why is not None:
            return f"path {path!r}: {why}"
        if is_reverse(field) or getattr(field, "null", False):
            nullable = True
        if i < len(parts) - 1:
            if not is_to_one(field):
                return (
                    f"path {path!r} goes through {part!r}, which is not a to-one relation "
                    "(to-many data needs Many())"
                )
            current = field.related_model
        elif field.is_relation and not is_to_one(field):
            return f"path {path!r} ends at a to-many relation: use Many() for it"
    return Resolved(field, nullable)


def lookup_exists(model: Any, path: str) -> str | None:
    """Return None if ``path`` names something ``order_by()`` can use, else what is missing.

    ``order_by`` may cross any relation (``author__name``, ``reviews__rating``).
    """
    current = model
    for part in path.split("__"):
        field = get_field(current, part)
        if field is None:
            return f"{current.__name__} has no field or relation {part!r}"
        if field.is_relation and field.related_model is None:  # a GenericForeignKey
            return f"{part!r} is a {type(field).__name__}, which order_by cannot follow"
        if field.is_relation:
            current = field.related_model
    return None


def column_type(api: CheckerPluginInterface, field: Any) -> Type:
    """Return the Python type a column holds, from django-stubs' stub of its field class.

    A relation stands for its target column (a FK holds the related primary key). Any when
    the stubs do not say (a custom field without typed descriptors).
    """
    if field.is_relation:
        field = getattr(field, "target_field", None)
        if field is None:
            return AnyType(TypeOfAny.special_form)
    if not isinstance(api, TypeChecker):
        return AnyType(TypeOfAny.special_form)
    for klass in type(field).__mro__:
        info = helpers.lookup_class_typeinfo(api, klass)
        if info is not None:
            return helpers.get_private_descriptor_type(
                info, "_pyi_private_get_type", is_nullable=False
            )
    return AnyType(TypeOfAny.special_form)


def model_info(api: CheckerPluginInterface, model: Any) -> TypeInfo | None:
    """Return mypy's TypeInfo of a run-time model class, if mypy has loaded its module."""
    if not isinstance(api, TypeChecker):
        return None
    return helpers.lookup_class_typeinfo(api, model)


def instance_of(api: CheckerPluginInterface, model: Any) -> Instance | None:
    """Return the mypy type of instances of a run-time model class, or None."""
    info = model_info(api, model)
    return Instance(info, []) if info is not None else None
