"""Check a plan and every plan nested in it with all the rules (ids in ``check_ids``).

The one entry point both the system checks (``manage.py check``) and the first-compile
validation use, so the two can never disagree. A rule that finds a problem records a check
message naming the plan and its declaration site; nothing here raises on a bad plan.
"""

from collections.abc import Collection
from typing import Any

from django.db.models import CompositePrimaryKey, F, Model
from django.db.models.expressions import BaseExpression

from fetchplan.plan.check_ids import BAD_SOURCE, NOT_A_DTO, UNKNOWN_FIELD, WRONG_RELATION
from fetchplan.plan.declare import Load, Many, One, Plan
from fetchplan.plan.dto_kinds import field_types, is_dto_class
from fetchplan.plan.errors import COMPOSITE_KEY
from fetchplan.plan.field_rules import check_column, check_expression
from fetchplan.plan.findings import Findings, Scope
from fetchplan.plan.inference import infer_relations
from fetchplan.plan.relation_rules import check_relation


def inspect_plan(plan: Plan[Any, Any], *, nested: bool = False) -> Findings:
    """Return every problem of ``plan`` and its nested plans, and the DTOs not proven exact.

    ``nested`` says the plan is nested as a to-one relation (it shares its parent's query,
    so it cannot annotate).
    """
    findings = Findings()
    _inspect(Scope(plan, findings), nested=nested)
    unique = {(e.id, e.msg, e.obj, e.hint): e for e in findings.errors}
    findings.errors = list(unique.values())  # a plan nested twice reports its problems once
    return findings


def _inspect(scope: Scope, *, nested: bool, provided: Collection[str] = ()) -> None:
    """Check ``scope``'s plan; ``provided`` are DTO fields its parent relation fills
    (through-model columns, checked with that relation)."""
    if not _check_classes(scope):
        return  # nothing else can be read from a plan of something else than a model / DTO
    plan = scope.plan
    infer_relations(plan)
    dto_fields = field_types(plan.dto)
    broken = _check_declaration(scope, dto_fields)
    for name, annotation in dto_fields.items():
        if name in broken or name in provided:
            continue
        relation = plan.relations.get(name)
        source = plan.fields.get(name)
        if isinstance(relation, Load):  # a to-one field given to-many options
            options = ", ".join(relation.to_many_options())
            scope.error(
                WRONG_RELATION,
                f"Load() fills {scope.dto_name}.{name}, a to-one field (not tuple[X, ...]), "
                f"but gives {options}, which only a to-many relation takes.",
                f"Remove {options}, or type the field tuple[X, ...] if the relation is to-many.",
            )
        elif relation is not None:
            if check_relation(scope, name, annotation, relation) and relation.plan is not None:
                child = Scope(relation.plan, scope.findings)
                through = relation.through_fields if isinstance(relation, Many) else {}
                _inspect(child, nested=isinstance(relation, One), provided=list(through))
        elif isinstance(source, BaseExpression):
            check_expression(scope, name, annotation, source, nested=nested)
        else:
            check_column(scope, name, annotation)


def _check_classes(scope: Scope) -> bool:
    """Check that the plan is of a concrete model and a DTO class (``fetchplan.E008``)."""
    # Typed as object: the point is to catch what the annotations promise cannot happen.
    model: object = scope.plan.model
    dto: object = scope.plan.dto
    problems = []
    if not (isinstance(model, type) and issubclass(model, Model)):
        problems.append(f"its model {model!r} is not a Django model class")
    elif model._meta.abstract:
        problems.append(f"its model {model.__name__} is abstract (it has no table)")
    elif isinstance(model._meta.pk, CompositePrimaryKey):
        problems.append(COMPOSITE_KEY.format(model=model.__name__))
    if not is_dto_class(dto):
        problems.append(f"its DTO {dto!r} is neither a pydantic model nor a NamedTuple")
    if problems:
        scope.error(
            NOT_A_DTO,
            "Plan(model, dto): " + "; ".join(problems) + ".",
            "Pass a concrete model class, then a DTO class: a pydantic model "
            "(subclass fetchplan.DTO) or a typing.NamedTuple.",
        )
    return not problems


def _check_declaration(scope: Scope, dto_fields: dict[str, Any]) -> set[str]:
    """Check the values of ``fields=`` and ``relations=``; return the names that are broken."""
    plan = scope.plan
    broken: set[str] = set()
    for name in [*plan.fields, *plan.relations]:
        if name not in dto_fields:
            scope.error(
                UNKNOWN_FIELD,
                f"{scope.dto_name} has no field {name!r}.",
                f"Remove {name!r} from the plan, or add the field to {scope.dto_name}.",
            )
    sources: dict[str, object] = dict(plan.fields)
    for name, source in sources.items():
        if not isinstance(source, (str, BaseExpression)):
            broken.add(name)
            hint = (
                f"Write the path as a string: {{{name!r}: {getattr(source, 'name', '')!r}}}."
                if isinstance(source, F)
                else "Give a lookup path ('author__name') or an expression (Count(...), ...)."
            )
            scope.error(
                BAD_SOURCE,
                f"fields[{name!r}] is {source!r}: neither a lookup path (str) nor an expression.",
                hint,
            )
        if name in plan.relations:
            broken.add(name)
            scope.error(
                BAD_SOURCE,
                f"{name!r} is both a field source and a relation.",
                "Keep one: fields= for a column or expression, relations= for a nested DTO.",
            )
    for name, relation in plan.relations.items():
        problem = _relation_problem(relation)
        if problem:
            broken.add(name)
            hint = "Wrap the plan: One(plan) for a to-one relation, Many(plan) for a to-many one."
            scope.error(BAD_SOURCE, f"relations[{name!r}] {problem}.", hint)
    return broken


def _relation_problem(relation: object) -> str | None:
    if not isinstance(relation, (One, Many, Load)):
        return f"is {relation!r}, not One(...), Many(...) or Load(...)"
    # Typed as object: the point is to catch what the annotations promise cannot happen.
    nested: object = None if isinstance(relation, Load) else relation.plan
    scalar: object = None if isinstance(relation, One) else relation.scalar
    source: object = relation.source
    if nested is not None and not isinstance(nested, Plan):
        return f"holds {nested!r} where a Plan belongs"
    if scalar is not None and not isinstance(scalar, str):
        return f"has scalar={scalar!r}; it takes a column path (a str)"
    if source is not None and not isinstance(source, str):
        return f"has source={source!r}; it takes a relation name (a str)"
    return None
