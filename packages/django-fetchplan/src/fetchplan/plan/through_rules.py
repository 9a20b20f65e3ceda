"""Rules for ``Many(through_fields=..., order_by=("through__<column>",))`` (see ``through``).

They run with the relation's other rules (:mod:`fetchplan.plan.relation_rules`): the relation
must be a many-to-many with a through model of its own, read by the values strategy into
nested DTOs; each through field must be a field of the element DTO whose type accepts the
through column; each ``through__`` ordering must name a column of the through model.
"""

from typing import Any

from django.db.models import Model

from fetchplan.plan.check_ids import BAD_MANY_QUERY, BAD_PATH, UNKNOWN_FIELD, WRONG_RELATION
from fetchplan.plan.declare import Many, Strategy
from fetchplan.plan.dto_kinds import field_types
from fetchplan.plan.errors import PlanError
from fetchplan.plan.field_rules import check_through_column
from fetchplan.plan.findings import Scope
from fetchplan.plan.paths import resolve_path
from fetchplan.plan.through import names_through, through_link


def check_through(scope: Scope, name: str, relation: Many, source: str) -> bool:
    """Check the through parts of a ``Many``; return False if the relation cannot run."""
    if not relation.through_fields and not names_through(relation.order_by):
        return True
    dto_field = f"{scope.dto_name}.{name}"
    link = through_link(scope.plan.model, source)
    problem: str | None = None
    if isinstance(link, str):
        problem = f"Many() fills {dto_field} with through columns, but {link}."
    elif scope.plan.strategy is Strategy.INSTANCES:  # Prefetch would join the table again
        problem = f"Many() filling {dto_field} with through columns needs the values strategy."
    if problem is not None or isinstance(link, str):
        scope.error(
            WRONG_RELATION,
            str(problem),
            "Use through_fields= and through__ orderings on a many-to-many relation with a "
            "through model, loading DTOs with the values strategy.",
        )
        return False
    through, _ = link
    ok = _check_orderings(scope, name, relation, through)
    return _check_fields(scope, name, relation, through) and ok


def _check_orderings(scope: Scope, name: str, relation: Many, through: type[Model]) -> bool:
    ok = True
    for column in names_through(relation.order_by):
        try:
            resolve_path(through, column, scope.plan)
        except PlanError:
            ok = False
            columns = ", ".join(f"'through__{f.name}'" for f in through._meta.concrete_fields)
            scope.error(
                BAD_MANY_QUERY,
                f"Many() filling {scope.dto_name}.{name} orders by 'through__{column}', but "
                f"the through model {through.__name__} has no column {column!r}.",
                f"Name one of {columns}.",
            )
    return ok


def _check_fields(scope: Scope, name: str, relation: Many, through: type[Model]) -> bool:
    nested = relation.plan
    if nested is None:
        return True  # the relation's own rules report what is missing
    child = Scope(nested, scope.findings)
    element: dict[str, Any] = field_types(nested.dto)
    ok = True
    for field, column in relation.through_fields.items():
        if field not in element:
            ok = False
            child.error(
                UNKNOWN_FIELD,
                f"Many(through_fields=...) filling {scope.dto_name}.{name} names "
                f"{field!r}, which {child.dto_name} has no field for.",
                f"Add {field!r} to {child.dto_name}, or remove it from through_fields.",
            )
            continue
        try:
            check_through_column(child, field, element[field], through, column)
        except PlanError:
            ok = False
            columns = ", ".join(repr(f.name) for f in through._meta.concrete_fields)
            child.error(
                BAD_PATH,
                f"through_fields[{field!r}] is {column!r}, which the through model "
                f"{through.__name__} does not have.",
                f"Name one of its columns: {columns}.",
            )
    return ok
