"""Rules for DTO fields read from a column (a path) or an expression.

A field passes when its source exists and every value the source can give fits the field's
type, NULL included. A field whose type the rules cannot judge exactly (see ``_compare``) also
passes, but its DTO is then built with validation (``Scope.doubt``).
"""

import functools
from typing import Any

from django.db.models import ForeignObjectRel, Model
from django.db.models.expressions import BaseExpression

from fetchplan.dto import NotLoaded
from fetchplan.plan.check_ids import (
    BAD_PATH,
    NESTED_EXPRESSION,
    NO_SOURCE,
    RELATION_NOT_LOADED,
    TYPE_MISMATCH,
)
from fetchplan.plan.errors import PlanError
from fetchplan.plan.findings import Scope
from fetchplan.plan.nullability import can_be_null
from fetchplan.plan.paths import canonical_path, path_is_nullable, resolve_path
from fetchplan.plan.type_rules import (
    accepts,
    describe_type,
    dto_types,
    mentions_not_loaded,
    python_type,
    union_args,
)


def check_column(scope: Scope, name: str, annotation: Any) -> None:
    """Check a field filled from a column: its own name, or the path ``fields=`` gives."""
    plan = scope.plan
    source = plan.fields.get(name)
    path = source if isinstance(source, str) else name
    try:
        target = resolve_path(plan.model, path, plan)
    except PlanError as exc:
        if source is None and mentions_not_loaded(annotation):
            return  # filled with NotLoaded
        if source is None:
            scope.error(
                NO_SOURCE,
                f"{scope.dto_name}.{name} has no source: {exc}",
                f"Add a source: fields={{{name!r}: 'relation__field'}} or an "
                "expression, or a relation in relations=.",
            )
        else:
            scope.error(BAD_PATH, str(exc), "Fix the path; to-many data needs Many().")
        return
    if dto_types(annotation) and target.is_relation and source is None:
        if not mentions_not_loaded(annotation):
            scope.error(
                RELATION_NOT_LOADED,
                f"{scope.dto_name}.{name} is a relation typed without NotLoaded, "
                f"but plan {plan.label} does not load it.",
                f"Load it (relations={{{name!r}: One(...) or Many(...)}}) or type the "
                "field `X | NotLoaded`.",
            )
        return
    if isinstance(target, ForeignObjectRel):
        scope.error(
            BAD_PATH,
            f"{scope.dto_name}.{name}: path {path!r} ends at the reverse relation "
            f"{target.name!r}, which is no column.",
            f"Name one of its columns ('{path}__id'), or load it with "
            f"relations={{{name!r}: One(...)}}.",
        )
        return
    column = resolve_path(plan.model, canonical_path(plan.model, path, plan), plan)
    nullable = path_is_nullable(plan.model, path, plan)
    _compare(scope, name, annotation, python_type(column), nullable, f"column {path!r}")


def check_expression(
    scope: Scope, name: str, annotation: Any, expression: BaseExpression, *, nested: bool
) -> None:
    """Check a field filled from an expression: it resolves, its type fits, NULL fits."""
    plan = scope.plan
    if nested:
        scope.error(
            NESTED_EXPRESSION,
            f"{scope.dto_name}.{name} is an expression in a plan nested as a to-one relation.",
            "Annotate it on the root plan instead.",
        )
        return
    try:
        output = _resolve_output(plan.model, expression)
    except Exception as exc:  # any resolution failure is the plan author's to fix
        scope.error(BAD_PATH, f"{scope.dto_name}.{name}: {exc}", "Fix the expression's lookups.")
        return
    nullable = can_be_null(expression, model=plan.model, plan=plan)
    what = f"expression {type(expression).__name__}(...)"
    _compare(scope, name, annotation, output, nullable, what)


def _resolve_output(model: type[Model], expression: BaseExpression) -> type | None:
    try:
        hash(expression)
    except TypeError:  # an argument that cannot be hashed: resolve without the cache
        return _output_type.__wrapped__(model, expression)
    return _output_type(model, expression)


@functools.lru_cache(maxsize=512)
def _output_type(model: type[Model], expression: BaseExpression) -> type | None:
    """Resolve ``expression`` over ``model`` (runs no query); return its values' Python type.

    Resolving is most of what checking a plan costs. Equal expressions over one model resolve
    alike, so a plan built per request from the same expressions pays it once per process.
    """
    resolved = model._default_manager.all().annotate(plan_check=expression)
    return python_type(resolved.query.annotations["plan_check"].output_field)


def check_scalar(scope: Scope, name: str, element: Any, column: Any, scalar: str) -> None:
    """Check the element type of a ``Many(scalar=...)`` tuple against its column."""
    _compare(scope, name, element, python_type(column), False, f"column {scalar!r}")


def _compare(
    scope: Scope,
    name: str,
    annotation: Any,
    expected: type | None,
    nullable: bool,
    what: str,
) -> None:
    """Record a mismatch between a field's type and the values its source gives.

    Exact means the field accepts the value as it comes from the database: its type is the
    value's type (or ``object`` / ``Any``). A looser fit (an ``int`` into a ``float`` field,
    a ``Literal``, a column type not judged here) passes, and the DTO is validated when built.
    """
    allowed = union_args(annotation)
    if annotation is Any or Any in allowed or object in allowed:
        return
    if expected is None:
        scope.doubt()
        return
    problems = []
    concrete = [t for t in allowed if t not in (type(None), NotLoaded)]
    if not any(accepts(t, expected) for t in concrete):
        problems.append(
            f"{what} holds {expected.__name__}, the field is {describe_type(annotation)}"
        )
    elif expected not in concrete:
        scope.doubt()
    if nullable and type(None) not in allowed:
        problems.append(f"{what} can be NULL, the field does not accept None")
    if problems:
        scope.error(
            TYPE_MISMATCH,
            f"{scope.dto_name}.{name}: " + "; ".join(problems) + ".",
            "Change the DTO field's type (X | None when the source can be NULL, "
            "or Coalesce(..., default) around an expression) or its source.",
        )


def check_through_column(scope: Scope, name: str, annotation: Any, through: Any, path: str) -> None:
    """Check a field of ``scope``'s DTO filled from column ``path`` of an M2M through model."""
    column = resolve_path(through, path, scope.plan)
    nullable = path_is_nullable(through, path, scope.plan)
    _compare(scope, name, annotation, python_type(column), nullable, f"through column {path!r}")
