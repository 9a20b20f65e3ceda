"""Say it once: the nested plan of a ``One()`` / ``Many()`` given without one.

``relations={"author": One(), "reviews": Many(order_by=("-created",), limit=5)}`` needs no
nested plan: the DTO annotation names the nested DTO (``author: AuthorRef``,
``reviews: tuple[ReviewDTO, ...]``) and the model relation names the related model, so the
nested plan is ``Plan(Author, AuthorRef)``: its fields by name, its own relations not loaded.
An explicit plan still wins (give one to load the nested DTO's relations, or fields from
other sources).

Inference needs the models' relations, so it runs when the plan is first checked or compiled,
not when it is declared (a plan module may be imported before the app registry is ready).
What cannot be inferred (no DTO class in the annotation, no such relation) is left for the
checks to report (``fetchplan.E006``).
"""

from contextvars import ContextVar
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from fetchplan.plan.declare import Load, Many, One, Plan, Relation
from fetchplan.plan.dto_kinds import field_types, is_dto_class
from fetchplan.plan.paths import many_path
from fetchplan.plan.type_rules import dto_types, tuple_element

INFERRING: ContextVar[bool] = ContextVar("fetchplan_inferring", default=False)
"""True while inference builds nested plans: they are parts of their plan, not registered."""

_DONE = "_relations_inferred"


def infer_relations(plan: Plan[Any, Any]) -> None:
    """Fill in the nested plan of each of ``plan``'s relations given without one (once)."""
    if plan.__dict__.get(_DONE) or not is_dto_class(plan.dto):
        return
    inferred = {name: _inferred(plan, name, relation) for name, relation in plan.relations.items()}
    object.__setattr__(plan, "relations", inferred)
    plan.__dict__[_DONE] = True


def needs_inference(relation: object) -> bool:
    """Return True for a ``One()`` / ``Many()`` with neither a plan nor a scalar column."""
    if isinstance(relation, One):
        return relation.plan is None
    return isinstance(relation, Many) and relation.plan is None and relation.scalar is None


def resolve_kind(annotation: Any, relation: Load) -> One | Many | Load:
    """Return ``Load(...)`` as the ``Many`` or ``One`` its DTO field's annotation says.

    ``tuple[X, ...]`` (optionally ``| NotLoaded``) is to-many; any other annotation to-one. A
    to-one field with to-many options stays a ``Load`` for the checks to report.
    """
    if annotation is not None and tuple_element(annotation) is not None:
        return relation.as_many()
    if relation.to_many_options():
        return relation
    return One(source=relation.source)


def _inferred(plan: Plan[Any, Any], name: str, relation: Relation) -> Relation:
    if isinstance(relation, Load):
        relation = resolve_kind(field_types(plan.dto).get(name), relation)
        if isinstance(relation, Load):
            return relation
    if not needs_inference(relation):
        return relation
    annotation = field_types(plan.dto).get(name)
    related = _related_model(plan.model, relation.source or name)
    if annotation is None or related is None:
        return relation
    holder = annotation if isinstance(relation, One) else tuple_element(annotation)
    candidates = dto_types(holder) if holder is not None else []
    if len(candidates) != 1:
        return relation
    (dto,) = candidates
    token = INFERRING.set(True)
    try:
        nested: Plan[Any, Any] = Plan(
            related,
            dto,
            strategy=plan.strategy,
            name=f"{dto.__name__} from {related.__name__} (inferred in {plan.name})",
            declared_at=plan.declared_at,
        )
    finally:
        INFERRING.reset(token)
    if isinstance(relation, One):
        return One(nested, source=relation.source)
    inferred = Many(
        nested,
        source=relation.source,
        filter=relation.filter,
        order_by=relation.order_by,
        limit=relation.limit,
        distinct=relation.distinct,
    )
    # Set past the check that refuses a given plan with through_fields: this plan is the one
    # inference made for them (its DTO's through fields are left to the relation).
    object.__setattr__(inferred, "through_fields", relation.through_fields)
    return inferred


def _related_model(model: Any, source: str) -> Any:
    """Return the model at the end of a relation name or a path of relations, or None."""
    if "__" in source:
        resolved = many_path(model, source)
        return None if isinstance(resolved, str) else resolved[0]
    try:
        field = model._meta.get_field(source)
    except (FieldDoesNotExist, AttributeError):
        return None
    return field.related_model if field.is_relation else None
