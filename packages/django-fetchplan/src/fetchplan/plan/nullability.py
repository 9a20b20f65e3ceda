"""Can an expression in ``fields=`` be NULL? Yes, unless the rules below prove it cannot.

A NULL must never land in a DTO field that does not accept None, so the check
(``fetchplan.E003``) treats every expression as nullable except:

- ``Count(...)``: 0 over no rows. ``Exists(...)``: true or false.
- ``Value(x)`` with ``x`` not None.
- ``Concat(...)``: Django turns NULL parts into '' on every backend.
- ``Coalesce(a, b, ...)``: when at least one argument cannot be NULL.
- ``Case(When(..., then=a), ..., default=d)``: when ``d`` and every ``a`` cannot be NULL (no
  ``default`` means NULL).
- an aggregate with ``default=d`` (``Sum("x", default=0)``): when ``d`` cannot be NULL.
- ``F("path")``: when no column or relation along the path can be NULL.
- ``a + b``, ``a - b``, ``a * b``, and ``Lower``, ``Upper``, ``Length``, ``Trim``, ``Abs``,
  ``Cast``, ``ExpressionWrapper``, ``~``: when their arguments cannot be NULL.

Everything else is nullable: other aggregates (``Sum``, ``Avg``, ``Max``... of no rows),
``Subquery`` (no row), division and modulo (SQLite answers NULL to a division by zero),
``RawSQL``, ``Window`` and any other ``Func``. Type such a field ``X | None``, or wrap the
expression in ``Coalesce(..., default)``.
"""

from typing import Any

from django.db.models import Aggregate, Count, Exists, F, Model, Value
from django.db.models.expressions import (
    BaseExpression,
    Case,
    Combinable,
    CombinedExpression,
    ExpressionWrapper,
    NegatedExpression,
)
from django.db.models.functions import (
    Abs,
    Cast,
    Coalesce,
    Concat,
    Length,
    Lower,
    LTrim,
    RTrim,
    Trim,
    Upper,
)
from django.db.models.functions.text import ConcatPair

from fetchplan.plan.declare import Plan
from fetchplan.plan.errors import PlanError
from fetchplan.plan.paths import path_is_nullable

NEVER_NULL: tuple[type[BaseExpression], ...] = (Count, Exists, Concat, ConcatPair)
"""Expressions that are never NULL, whatever their arguments."""
NULL_IN_NULL_OUT: tuple[type[BaseExpression], ...] = (
    Lower,
    Upper,
    Length,
    Trim,
    LTrim,
    RTrim,
    Abs,
    Cast,
    ExpressionWrapper,
    NegatedExpression,
)
"""Expressions that are NULL only when an argument is NULL."""
NULL_SAFE_OPERATORS = frozenset({Combinable.ADD, Combinable.SUB, Combinable.MUL})
"""Arithmetic that is NULL only when an operand is (not division: SQLite gives NULL for /0)."""


def can_be_null(expression: Any, *, model: type[Model], plan: Plan[Any, Any]) -> bool:
    """Return False only if ``expression`` over ``model``'s rows provably never gives NULL."""

    def nullable(part: Any) -> bool:
        return can_be_null(part, model=model, plan=plan)

    if isinstance(expression, NEVER_NULL):
        return False
    if isinstance(expression, Value):
        return expression.value is None
    if isinstance(expression, F):
        try:
            return path_is_nullable(model, str(getattr(expression, "name", "")), plan)
        except PlanError:
            return True  # through a to-many relation: no row means NULL
    if isinstance(expression, Coalesce):
        return all(nullable(part) for part in expression.get_source_expressions())
    if isinstance(expression, Case):
        results = [when.result for when in expression.cases]
        return any(nullable(part) for part in [*results, expression.default])
    if isinstance(expression, Aggregate):
        default = getattr(expression, "default", None)
        return default is None or nullable(default)
    if isinstance(expression, CombinedExpression):
        operands = (expression.lhs, expression.rhs)
        return expression.connector not in NULL_SAFE_OPERATORS or any(map(nullable, operands))
    if isinstance(expression, NULL_IN_NULL_OUT):
        return any(nullable(part) for part in expression.get_source_expressions())
    if not hasattr(expression, "resolve_expression"):
        return expression is None  # a plain Python value (an aggregate's default=0)
    return True
