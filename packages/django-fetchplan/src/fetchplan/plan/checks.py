"""System checks for plans: a broken plan is a ``manage.py check`` error, not a production bug.

Every registered plan is checked when Django runs its checks (``manage.py check``, ``runserver``,
``migrate``, the test runner's ``check`` command). Ids and what they mean:

- ``fetchplan.E001`` a DTO field has no source: no model field of that name, no ``fields=`` entry,
  no relation.
- ``fetchplan.E002`` a source path does not exist, or goes through a to-many relation.
- ``fetchplan.E003`` a DTO field's type disagrees with its column (type, or a nullable column
  into a field that does not accept None).
- ``fetchplan.E004`` a DTO relation field typed without ``NotLoaded`` is not loaded by this plan.
- ``fetchplan.E005`` the plan loads a relation (or names a field) the DTO has no field for.
- ``fetchplan.E006`` a relation is declared with the wrong kind (``One`` on a to-many relation,
  ``Many`` on a to-one one), a nested plan of the wrong model, or a DTO field whose type does
  not hold what the relation loads.
- ``fetchplan.E007`` an expression in a plan nested as a to-one relation (annotate the root plan).
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Aggregate, Count
from django.db.models.expressions import BaseExpression

from fetchplan.dto import NotLoaded
from fetchplan.plan.declare import Many, One, Plan
from fetchplan.plan.dto_kinds import field_types
from fetchplan.plan.errors import PlanError
from fetchplan.plan.paths import canonical_path, path_is_nullable, resolve_path
from fetchplan.plan.registry import all_plans
from fetchplan.plan.type_rules import (
    accepts,
    describe_type,
    dto_types,
    mentions_not_loaded,
    python_type,
    tuple_element,
    union_args,
)

NO_SOURCE = "fetchplan.E001"
BAD_PATH = "fetchplan.E002"
TYPE_MISMATCH = "fetchplan.E003"
RELATION_NOT_LOADED = "fetchplan.E004"
UNKNOWN_FIELD = "fetchplan.E005"
WRONG_RELATION = "fetchplan.E006"
NESTED_EXPRESSION = "fetchplan.E007"


@checks.register("fetchplan")
def check_plans(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Run :func:`check_plan` over every registered plan."""
    errors: list[checks.CheckMessage] = []
    for plan in all_plans():
        errors.extend(check_plan(plan))
    return errors


def check_plan(plan: Plan[Any, Any], *, nested: bool = False) -> list[checks.CheckMessage]:
    """Return the problems of one plan (empty if it is sound)."""
    errors: list[checks.CheckMessage] = []
    dto_fields = field_types(plan.dto)

    def error(check_id: str, message: str, hint: str) -> None:
        errors.append(checks.Error(message, hint=hint, obj=plan.label, id=check_id))

    for name in [*plan.fields, *plan.relations]:
        if name not in dto_fields:
            error(
                UNKNOWN_FIELD,
                f"{plan.dto.__name__} has no field {name!r}.",
                f"Remove {name!r} from the plan, or add the field to {plan.dto.__name__}.",
            )
    for name, annotation in dto_fields.items():
        relation = plan.relations.get(name)
        if relation is not None:
            errors.extend(_check_relation(plan, name, annotation, relation))
        elif isinstance(plan.fields.get(name), BaseExpression):
            errors.extend(_check_expression(plan, name, annotation, nested=nested))
        else:
            errors.extend(_check_column(plan, name, annotation))
    return errors


def _check_column(plan: Plan[Any, Any], name: str, annotation: Any) -> list[checks.CheckMessage]:
    source = plan.fields.get(name)
    path = source if isinstance(source, str) else name
    try:
        target = resolve_path(plan.model, path, plan)
    except PlanError as exc:
        if source is None and mentions_not_loaded(annotation):
            return []  # filled with NotLoaded
        if source is None:
            return [
                _error(
                    plan,
                    NO_SOURCE,
                    f"{plan.dto.__name__}.{name} has no source: {exc}",
                    f"Add a source: fields={{{name!r}: 'relation__field'}} or an "
                    "expression, or a relation in relations=.",
                )
            ]
        return [_error(plan, BAD_PATH, str(exc), "Fix the path; to-many data needs Many().")]
    if dto_types(annotation) and target.is_relation and source is None:
        if not mentions_not_loaded(annotation):
            return [
                _error(
                    plan,
                    RELATION_NOT_LOADED,
                    f"{plan.dto.__name__}.{name} is a relation typed without NotLoaded, "
                    f"but plan {plan.label} does not load it.",
                    f"Load it (relations={{{name!r}: One(...) or Many(...)}}) or type the "
                    "field `X | NotLoaded`.",
                )
            ]
        return []
    canonical = canonical_path(plan.model, path, plan)
    column = resolve_path(plan.model, canonical, plan)
    expected = python_type(column)
    nullable = path_is_nullable(plan.model, path, plan)
    return _compare(plan, name, annotation, expected, nullable, f"column {path!r}")


def _check_expression(
    plan: Plan[Any, Any], name: str, annotation: Any, *, nested: bool
) -> list[checks.CheckMessage]:
    expression = plan.fields[name]
    assert isinstance(expression, BaseExpression)
    if nested:
        return [
            _error(
                plan,
                NESTED_EXPRESSION,
                f"{plan.dto.__name__}.{name} is an expression in a plan nested as a "
                "to-one relation.",
                "Annotate it on the root plan instead.",
            )
        ]
    try:
        resolved = plan.model._default_manager.all().annotate(plan_check=expression)
        output = resolved.query.annotations["plan_check"].output_field
    except Exception as exc:  # any resolution failure is the plan author's to fix
        return [
            _error(
                plan,
                BAD_PATH,
                f"{plan.dto.__name__}.{name}: {exc}",
                "Fix the expression's lookups.",
            )
        ]
    nullable = isinstance(expression, Aggregate) and not isinstance(expression, Count)
    return _compare(plan, name, annotation, python_type(output), nullable, "expression")


def _check_relation(
    plan: Plan[Any, Any], name: str, annotation: Any, relation: One | Many
) -> list[checks.CheckMessage]:
    source = relation.source or name
    try:
        model_field = plan.model._meta.get_field(source)
    except FieldDoesNotExist:
        return [
            _error(
                plan,
                BAD_PATH,
                f"{plan.model.__name__} has no relation {source!r}.",
                "Name an existing relation, or set source=.",
            )
        ]
    to_one = bool(model_field.many_to_one or model_field.one_to_one)
    wrong = _wrong_relation(plan, name, annotation, relation, model_field, to_one)
    if wrong:
        return [_error(plan, WRONG_RELATION, wrong, "Match One/Many, the model and the DTO type.")]
    errors: list[checks.CheckMessage] = []
    if isinstance(relation, One):
        errors.extend(check_plan(relation.plan, nested=True))
        if (model_field.null or not model_field.concrete) and type(None) not in union_args(
            annotation
        ):
            errors.append(
                _error(
                    plan,
                    TYPE_MISMATCH,
                    f"{plan.dto.__name__}.{name}: relation {source!r} can be empty "
                    "but the field does not accept None.",
                    "Type it `X | None`.",
                )
            )
    elif relation.scalar is not None:
        try:
            column = resolve_path(model_field.related_model, relation.scalar, plan)
        except PlanError as exc:
            return [_error(plan, BAD_PATH, str(exc), "Fix Many(scalar=...).")]
        element = tuple_element(annotation)
        errors.extend(
            _compare(plan, name, element, python_type(column), False, f"column {relation.scalar!r}")
        )
    return errors


def _wrong_relation(
    plan: Plan[Any, Any],
    name: str,
    annotation: Any,
    relation: One | Many,
    model_field: Any,
    to_one: bool,
) -> str | None:
    kind = type(relation).__name__
    dto_field = f"{plan.dto.__name__}.{name}"
    if isinstance(relation, One) != to_one:
        actual = "to-one" if to_one else "to-many"
        return f"{kind}() fills {dto_field}, but {model_field.name!r} is a {actual} relation."
    nested = relation.plan
    if nested is not None and nested.model is not model_field.related_model:
        leads_to = model_field.related_model.__name__
        return f"{kind}({nested.label}) loads {nested.model.__name__}; {name!r} is {leads_to}."
    if isinstance(relation, Many) and tuple_element(annotation) is None:
        return f"{dto_field} must be typed tuple[...] to hold Many()."
    if nested is not None:
        holder = tuple_element(annotation) if isinstance(relation, Many) else annotation
        if nested.dto not in dto_types(holder):
            return f"{dto_field} does not accept {nested.dto.__name__}, built by {nested.label}."
    return None


def _compare(
    plan: Plan[Any, Any],
    name: str,
    annotation: Any,
    expected: type | None,
    nullable: bool,
    what: str,
) -> list[checks.CheckMessage]:
    allowed = union_args(annotation)
    if annotation is Any or expected is None or Any in allowed:
        return []
    problems = []
    concrete = [t for t in allowed if t not in (type(None), NotLoaded)]
    if concrete and not any(accepts(t, expected) for t in concrete):
        problems.append(
            f"{what} holds {expected.__name__}, the field is {describe_type(annotation)}"
        )
    if nullable and type(None) not in allowed:
        problems.append(f"{what} can be NULL, the field does not accept None")
    if not problems:
        return []
    return [
        _error(
            plan,
            TYPE_MISMATCH,
            f"{plan.dto.__name__}.{name}: " + "; ".join(problems) + ".",
            "Change the DTO field's type (X | None for nullable columns) or its source.",
        )
    ]


def _error(plan: Plan[Any, Any], check_id: str, message: str, hint: str) -> checks.CheckMessage:
    return checks.Error(message, hint=hint, obj=plan.label, id=check_id)
