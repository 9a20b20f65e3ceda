"""NamedTuple twins of the bookstore's DTOs and plans, and the layer variants of a page.

The bookstore's DTOs are pydantic models; the engine also fills NamedTuple DTOs, and the
benchmark measures both on the same data (the ``layer_tuple`` variants). The bookstore has no
NamedTuple DTOs, so each twin is *derived* here from the bookstore's own: the same field names
and types in the same order, nested DTOs replaced by their twins, and a twin plan with the same
sources and relations. The pydantic and the NamedTuple variant therefore load exactly the same
data and cannot drift apart when a bookstore DTO or plan changes.
"""

import functools
import operator
import types
import typing
from collections.abc import Callable
from dataclasses import replace
from typing import Any, get_args, get_origin

from django.db.models import Model, QuerySet
from fetchplan import Load, Many, One, Plan, Strategy, fetch_one
from fetchplan.observe import query_budget
from pydantic import BaseModel

NOT_A_DTO = "{dto!r} is not a pydantic DTO, so it has no NamedTuple twin."
NO_TWIN_TYPE = "No twin for the annotation {annotation!r}: only X | Y and tuple[...] nest DTOs."

_TWINS: dict[type[BaseModel], type[tuple[Any, ...]]] = {}
# typing.NamedTuple's functional form, called with names known only at run time; as a plain
# callable, so that mypy does not take this module for a NamedTuple declaration of its own.
_NAMEDTUPLE: Callable[..., Any] = typing.NamedTuple


def namedtuple_twin(dto: object) -> type[tuple[Any, ...]]:
    """Return the NamedTuple twin of pydantic DTO ``dto`` (one class per DTO, made once).

    Raises TypeError when ``dto`` is not a pydantic model.
    """
    if not (isinstance(dto, type) and issubclass(dto, BaseModel)):
        raise TypeError(NOT_A_DTO.format(dto=dto))
    if dto not in _TWINS:
        fields = [(name, _twin_type(info.annotation)) for name, info in dto.model_fields.items()]
        twin: type[tuple[Any, ...]] = _NAMEDTUPLE(f"{dto.__name__}Tuple", fields)
        _TWINS[dto] = twin
    return _TWINS[dto]


def _twin_type(annotation: Any) -> Any:
    """Return ``annotation`` with every DTO class in it replaced by its twin."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return namedtuple_twin(annotation)
    arguments = get_args(annotation)
    twins = tuple(_twin_type(argument) for argument in arguments)
    if twins == arguments:
        return annotation
    origin = get_origin(annotation)
    if origin is tuple:
        return types.GenericAlias(tuple, twins)  # tuple[X, ...] when twins is (X, ...)
    if origin in (types.UnionType, typing.Union):
        return functools.reduce(operator.or_, twins)
    raise TypeError(NO_TWIN_TYPE.format(annotation=annotation))


def namedtuple_plan[M: Model](plan: Plan[M, Any]) -> Plan[M, Any]:
    """Return ``plan`` filling the twins of its DTOs: same model, sources and relations."""
    relations = {name: _twin_relation(relation) for name, relation in plan.relations.items()}
    return Plan(
        plan.model,
        namedtuple_twin(plan.dto),
        fields=plan.fields,
        relations=relations,
        strategy=plan.strategy,
        name=f"{plan.name} (NamedTuple)",
    )


def _twin_relation(relation: One | Many | Load) -> One | Many | Load:
    if isinstance(relation, Load) or relation.plan is None:  # inferred later, or a scalar
        return relation
    return replace(relation, plan=namedtuple_plan(relation.plan))


def layer_pages[M: Model](
    repository: Callable[[int], Any], plan: Plan[M, Any], queryset: QuerySet[M]
) -> dict[str, Callable[[int], Any]]:
    """Return a page scenario's three layer variants, by key.

    ``layer`` is the bookstore's page repository itself (``get_book``, ``get_author``), which
    runs ``fetch_one(plan, queryset, pk=pk)`` under ``@query_budget(plan)``; ``layer_tuple``
    and ``layer_instances`` run that same body over the NamedTuple twin of ``plan`` and over
    ``plan`` with the instances strategy, so the three differ only in what they measure.
    """
    return {
        "layer": repository,
        "layer_tuple": _page_function(namedtuple_plan(plan), queryset),
        "layer_instances": _page_function(plan.with_strategy(Strategy.INSTANCES), queryset),
    }


def _page_function[M: Model](plan: Plan[M, Any], queryset: QuerySet[M]) -> Callable[[int], Any]:
    @query_budget(plan)
    def page(pk: int) -> Any:
        return fetch_one(plan, queryset, pk=pk)

    return page
