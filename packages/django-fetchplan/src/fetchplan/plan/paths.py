"""Lookup paths on a model: resolve them, spell them one way, tell whether they can be NULL.

A path follows to-one relations only (``author__country__name``); to-many data is loaded by
``Many()`` relations instead. Errors name the plan they were found in.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, ForeignObjectRel, ManyToManyField, Model

from fetchplan.plan.declare import Plan
from fetchplan.plan.errors import INVALID_PLAN, PlanError


def plan_error(plan: Plan[Any, Any], problem: str) -> PlanError:
    """Return a PlanError naming ``plan`` and the ``problem``."""
    return PlanError(INVALID_PLAN.format(plan=plan.label, problem=problem))


def get_field(plan: Plan[Any, Any], model: type[Model], name: str) -> Any:
    """Return ``model``'s field or relation ``name``, or raise PlanError."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        raise plan_error(plan, f"{model.__name__} has no field or relation {name!r}") from None


def unfollowable(field: Any) -> str | None:
    """Return why a plan cannot follow relation ``field``, or None if it can (or is a column).

    Plans follow foreign keys (one-to-one included), many-to-many relations and their
    reverses. Not a generic relation (contenttypes: ``GenericForeignKey``, ``GenericRelation``)
    nor a multi-column ``ForeignObject``: their joins carry conditions (a content type) or
    columns that the lookups back to a parent cannot express, and a generic relation's
    reverse lookup may even name another model's relation, mixing their rows.
    """
    relation = field.field if isinstance(field, ForeignObjectRel) else field
    if not field.is_relation or isinstance(relation, ForeignKey | ManyToManyField):
        return None
    return (
        f"{field.name!r} is a {type(field).__name__}, which plans cannot follow (they follow "
        "foreign keys, one-to-one and many-to-many relations and their reverses, not generic "
        "relations or multi-column foreign objects); load those rows with a plan over their "
        "own model"
    )


def to_many_hop(model: type[Model], path: str) -> str | None:
    """Return the first to-many relation that ordering path ``path`` crosses from ``model``.

    Ordering by ``labels__name`` joins every label of a row, so each row comes once per label
    (the ORM does the same): a ``Many()`` ordered that way repeats its children. None when the
    path crosses none, or ends early at a name that is not a relation (a transform such as
    ``published__year``; a missing name is the other checks' to report).
    """
    current = model
    for part in path.split("__"):
        try:
            field: Any = current._meta.get_field(pk_name(current) if part == "pk" else part)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or field.related_model is None:
            return None
        if field.one_to_many or field.many_to_many:
            return part
        current = field.related_model
    return None


def pk_name(model: type[Model]) -> str:
    """Return the name of ``model``'s primary key field."""
    pk = model._meta.pk
    assert pk is not None
    return pk.name


def canonical_path(model: type[Model], path: str, plan: Plan[Any, Any]) -> str:
    """Return the one spelling of ``path`` per column: ``pk`` for a primary key, ``fk__pk``
    for a foreign key (named or by ``_id``), so no query selects a column twice.
    """
    target = resolve_path(model, path, plan)
    head, _, _ = path.rpartition("__")
    prefix = f"{head}__" if head else ""
    if (
        getattr(target, "primary_key", False) and not target.is_relation
    ):  # reverse relations lack it
        return f"{prefix}pk"
    if target.many_to_one or (target.one_to_one and not isinstance(target, ForeignObjectRel)):
        return f"{prefix}{target.name}__pk"
    return path


def resolve_path(model: type[Model], path: str, plan: Plan[Any, Any]) -> Any:
    """Return the model field at the end of ``path`` (following to-one relations only)."""
    current: type[Model] = model
    result: Any = None
    parts = path.split("__")
    for i, part in enumerate(parts):
        name = pk_name(current) if part == "pk" else part
        result = get_field(plan, current, name)
        why = unfollowable(result)
        if why is not None:
            raise plan_error(plan, f"path {path!r}: {why}")
        if i < len(parts) - 1:
            if not (result.many_to_one or result.one_to_one):
                raise plan_error(
                    plan,
                    f"path {path!r} goes through {part!r}, which is not a to-one relation "
                    "(to-many data needs Many())",
                )
            current = result.related_model
        elif result.is_relation and not (result.many_to_one or result.one_to_one):
            raise plan_error(plan, f"path {path!r} ends at a to-many relation: use Many() for it")
    return result


def path_is_nullable(model: type[Model], path: str, plan: Plan[Any, Any]) -> bool:
    """Return True if following ``path`` can produce NULL (a nullable hop or column)."""
    current: type[Model] = model
    parts = path.split("__")
    for i, part in enumerate(parts):
        name = pk_name(current) if part == "pk" else part
        model_field = get_field(plan, current, name)
        if isinstance(model_field, ForeignObjectRel) or getattr(model_field, "null", False):
            return True
        if i < len(parts) - 1:
            current = model_field.related_model
    return False


def many_path(model: type[Model], source: str) -> tuple[type[Model], str] | str:
    """Resolve a to-many ``source`` over one or more hops (``"novels__labels"``).

    Return the related model and the lookup from it back to ``model`` (``"novels__writer"``),
    or what is wrong with the path. At least one hop must be to-many (else it is One()'s).
    """
    current: type[Model] = model
    back: list[str] = []
    to_many = False
    for part in source.split("__"):
        try:
            field: Any = current._meta.get_field(part)
        except FieldDoesNotExist:
            return f"{current.__name__} has no relation {part!r} (path {source!r})"
        if not field.is_relation or field.related_model is None:
            return f"path {source!r} goes through {part!r}, which is not a relation"
        why = unfollowable(field)
        if why is not None:
            return f"path {source!r}: {why}"
        to_many = to_many or bool(field.one_to_many or field.many_to_many)
        if isinstance(field, ForeignObjectRel):
            back.append(field.field.name)
        else:
            back.append(field.related_query_name())
        current = field.related_model
    if not to_many:
        return f"path {source!r} reaches one row per parent: use One() for it"
    return current, "__".join(reversed(back))
