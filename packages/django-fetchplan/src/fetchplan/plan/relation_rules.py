"""Rules for DTO fields filled by ``One()`` / ``Many()`` relations.

The nested plans themselves are checked by the caller (:mod:`fetchplan.plan.rules`) once the
relation is sound enough to say what they run against.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import CompositePrimaryKey, F, Model

from fetchplan.plan.check_ids import (
    BAD_MANY_QUERY,
    BAD_PATH,
    NOT_A_DTO,
    TYPE_MISMATCH,
    WRONG_RELATION,
)
from fetchplan.plan.declare import Many, One, Strategy
from fetchplan.plan.errors import COMPOSITE_KEY, PlanError
from fetchplan.plan.field_rules import check_scalar
from fetchplan.plan.findings import Scope
from fetchplan.plan.inference import needs_inference
from fetchplan.plan.paths import many_path, resolve_path, to_many_hop, unfollowable
from fetchplan.plan.through import THROUGH, names_through, through_link, through_order
from fetchplan.plan.through_rules import check_through
from fetchplan.plan.type_rules import dto_types, tuple_element, union_args


def check_relation(scope: Scope, name: str, annotation: Any, relation: One | Many) -> bool:
    """Check one relation; return True if its nested plan (if any) should be checked too."""
    plan = scope.plan
    source = relation.source or name
    if "__" in source:
        return _check_many_path(scope, name, annotation, relation, source)
    try:
        model_field = plan.model._meta.get_field(source)
    except FieldDoesNotExist:
        scope.error(
            BAD_PATH,
            f"{scope.model_name} has no relation {source!r}.",
            "Name an existing relation, or set source=.",
        )
        return False
    why = unfollowable(model_field)
    if why is not None:
        scope.error(BAD_PATH, f"{scope.dto_name}.{name}: {why}.", "Remove the relation.")
        return False
    to_one = bool(model_field.many_to_one or model_field.one_to_one)
    wrong = _wrong_relation(scope, name, annotation, relation, model_field, to_one)
    if wrong:
        scope.error(WRONG_RELATION, wrong, "Match One/Many, the model and the DTO type.")
        return False
    if isinstance(relation, One):
        if (model_field.null or not model_field.concrete) and type(None) not in union_args(
            annotation
        ):
            scope.error(
                TYPE_MISMATCH,
                f"{scope.dto_name}.{name}: relation {source!r} can be empty "
                "but the field does not accept None.",
                "Type it `X | None`.",
            )
        return True
    related = model_field.related_model
    if not check_through(scope, name, relation, source):
        return False
    return _check_many_rows(scope, name, annotation, relation, related)


def _check_many_path(
    scope: Scope, name: str, annotation: Any, relation: One | Many, source: str
) -> bool:
    """Check a relation whose ``source`` walks several hops (``"novels__labels"``)."""
    plan = scope.plan
    dto_field = f"{scope.dto_name}.{name}"
    resolved = many_path(plan.model, source)
    if isinstance(resolved, str):
        scope.error(BAD_PATH, f"{dto_field}: {resolved}.", "Fix the relation path in source=.")
        return False
    related, _ = resolved
    if isinstance(relation, One):
        problem: str | None = (
            f"One() fills {dto_field} through {source!r}, which reaches many rows."
        )
    elif relation.limit is not None:
        problem = f"Many(source={source!r}) over several hops takes no limit=."
    elif relation.through_fields or names_through(relation.order_by):
        problem = f"Many(source={source!r}) over several hops has no through model to read."
    elif plan.strategy is Strategy.INSTANCES:
        problem = f"Many(source={source!r}) over several hops needs the values strategy."
    elif tuple_element(annotation) is None:
        problem = f"{dto_field} must be typed tuple[...] to hold Many()."
    elif relation.plan is not None and relation.plan.model is not related:
        problem = f"Many({relation.plan.label}) loads {_name(relation.plan.model)}; "
        problem += f"{source!r} leads to {_name(related)}."
    else:
        problem = None
    if problem or isinstance(relation, One):
        scope.error(WRONG_RELATION, str(problem), "Match the relation path, One/Many and the DTO.")
        return False
    return _check_many_rows(scope, name, annotation, relation, related)


def _check_many_rows(
    scope: Scope, name: str, annotation: Any, relation: Many, related: type[Model]
) -> bool:
    """Check a ``Many``'s child query and, for ``scalar=``, its column against the field."""
    _check_many_query(scope, name, relation, related)
    if relation.scalar is not None:
        if isinstance(related._meta.pk, CompositePrimaryKey):  # a nested plan's own check says it
            problem = COMPOSITE_KEY.format(model=related.__name__)
            hint = "Load those rows with a query of their own."
            scope.error(NOT_A_DTO, f"{scope.dto_name}.{name}: Many(scalar=...): {problem}.", hint)
            return False
        try:
            column = resolve_path(related, relation.scalar, scope.plan)
        except PlanError as exc:
            scope.error(BAD_PATH, str(exc), "Fix Many(scalar=...).")
            return False
        check_scalar(scope, name, tuple_element(annotation), column, relation.scalar)
    return True


def _check_many_query(scope: Scope, name: str, relation: Many, related: type[Model]) -> None:
    """Build (without running) the child query's filter, order and per-parent window.

    Django resolves names when a queryset is built, so a typo fails here, at check time,
    rather than with a ``FieldError`` at the first fetch that does not name the plan.
    """
    queryset = related._default_manager.all()
    try:
        if relation.filter is not None:
            queryset = queryset.filter(relation.filter)
        order_by = relation.order_by
        if names_through(order_by):  # checked by check_through; spelt as Django reads them
            link = through_link(scope.plan.model, relation.source or name)
            order_by = through_order(order_by, link[1]) if not isinstance(link, str) else ()
        queryset = queryset.order_by(*order_by)
        # order_by() leaves a bad name after a relation ('author__nmae') to the compiler;
        # resolving each name as F() does not. "?" (random) is no column, and a per-parent
        # limit cannot use it (its window orders by columns).
        names = [name.removeprefix("-") for name in order_by]
        if relation.limit is None:
            names = [name for name in names if name != "?"]
        queryset.alias(**{f"plan_check_{i}": F(name) for i, name in enumerate(names)})
    except (FieldError, FieldDoesNotExist, ValueError, TypeError) as exc:
        scope.error(
            BAD_MANY_QUERY,
            f"Many() filling {scope.dto_name}.{name} filters or orders {related.__name__} "
            f"rows by something it does not have: {exc}",
            f"Name fields of {related.__name__} in filter= and order_by= "
            "(through its relations: 'author__name').",
        )
        return
    for order in relation.order_by:
        bare = order.removeprefix("-")
        hop = None if bare.startswith(THROUGH) else to_many_hop(related, bare)
        if hop is not None:
            scope.error(
                BAD_MANY_QUERY,
                f"Many() filling {scope.dto_name}.{name} orders {related.__name__} rows by "
                f"{order!r}, which goes through the to-many relation {hop!r}: each row would "
                "come once per related row.",
                f"Order by columns of {related.__name__} or through its to-one relations "
                "(a through model's column as 'through__<column>').",
            )


def _wrong_relation(
    scope: Scope,
    name: str,
    annotation: Any,
    relation: One | Many,
    model_field: Any,
    to_one: bool,
) -> str | None:
    kind = type(relation).__name__
    dto_field = f"{scope.dto_name}.{name}"
    if not model_field.is_relation:
        return f"{kind}() fills {dto_field}, but {model_field.name!r} is a column, not a relation."
    if isinstance(relation, One) != to_one:
        actual = "to-one" if to_one else "to-many"
        return f"{kind}() fills {dto_field}, but {model_field.name!r} is a {actual} relation."
    if needs_inference(relation):
        holder = "X | None" if isinstance(relation, One) else "tuple[X, ...]"
        return (
            f"{kind}() fills {dto_field} with no plan, and none can be inferred: type the "
            f"field {holder} with one DTO class X, or give the plan"
            + (" or scalar=" if isinstance(relation, Many) else "")
            + "."
        )
    nested = relation.plan
    if nested is not None and nested.model is not model_field.related_model:
        leads_to = _name(model_field.related_model)
        return f"{kind}({nested.label}) loads {_name(nested.model)}; {name!r} is {leads_to}."
    if isinstance(relation, Many) and tuple_element(annotation) is None:
        return f"{dto_field} must be typed tuple[...] to hold Many()."
    if nested is not None:
        holder = tuple_element(annotation) if isinstance(relation, Many) else annotation
        if nested.dto not in dto_types(holder):
            return f"{dto_field} does not accept {_name(nested.dto)}, built by {nested.label}."
    return None


def _name(value: object) -> str:
    return str(getattr(value, "__name__", value))
