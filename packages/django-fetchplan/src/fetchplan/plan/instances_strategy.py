"""The instances strategy: model instances via ``select_related`` and ``Prefetch``.

For plans whose repository needs a model method or a custom manager's behaviour. It reads
the same plan tree as the values strategy and gives equal DTOs; it is slower because every
row becomes a model instance first. It never queries lazily: DTOs are built inside a no-query
zone (``plan.guard``), and on Django 6.1 every queryset also uses ``fetch_mode(FETCH_RAISE)``,
so a relation the plan forgot is an error naming the plan and field instead of a query.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch, QuerySet

from fetchplan.compat import raise_on_lazy_fetch
from fetchplan.plan.compile import ManyEdge, Node
from fetchplan.plan.dto_kinds import field_types, list_builder, one_builder
from fetchplan.plan.guard import REFUSALS, lazy_load_refused, no_lazy_loads
from fetchplan.plan.values_strategy import Identity

PREFETCH_PREFIX = "plan_prefetched_"


def prepare(node: Node, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Return a copy of ``queryset`` with the joins, prefetches and annotations ``node`` needs.

    Always a copy (``all()``): running the caller's own queryset would fill its result cache,
    and the next fetch over it would return those rows again without a query (Django 5.2,
    which has no fetch modes, for a plan without relations or annotations).
    """
    queryset = raise_on_lazy_fetch(queryset.all())
    if node.annotations:
        queryset = queryset.annotate(**node.annotations)
    paths = node.related_paths()
    if paths:
        queryset = queryset.select_related(*paths)
    prefetches = _prefetches(node, queryset.db)
    if prefetches:
        queryset = queryset.prefetch_related(*prefetches)
    return queryset


def _prefetches(node: Node, using: str) -> "list[Prefetch[Any]]":
    prefetches: list[Prefetch[Any]] = []
    for owner in node.walk():
        for edge in owner.manys:
            children = prefetch_queryset(edge, using)
            lookup = f"{owner.prefix}{edge.accessor}"
            prefetches.append(Prefetch(lookup, queryset=children, to_attr=_attr(edge)))
    return prefetches


def prefetch_queryset(edge: ManyEdge, using: str) -> QuerySet[Any]:
    """Return the child queryset for ``Prefetch`` (Django adds the parent filter itself)."""
    queryset = edge.related_model._default_manager.using(using).all()
    if edge.spec.filter is not None:
        queryset = queryset.filter(edge.spec.filter)
    if edge.child is not None:
        queryset = prepare(edge.child, queryset)
    queryset = raise_on_lazy_fetch(queryset).order_by(*edge.order_by)
    if edge.spec.limit is not None:
        queryset = queryset[: edge.spec.limit]  # Django limits per parent (a window function)
    return queryset


def _attr(edge: ManyEdge) -> str:
    return PREFETCH_PREFIX + edge.field


def build_instances(node: Node, objects: Sequence[Model], identity: Identity) -> list[Any]:
    """Turn model instances (prepared by :func:`prepare`) into DTOs, running no query.

    Raises ``LazyLoadRefused`` (a ``PlanError``) when reading an instance would query.
    """
    with no_lazy_loads(node.plan):
        return list_builder(node.plan.dto, trusted=node.trusted)(
            [_fields(node, obj, identity) for obj in objects]
        )


def _fields(node: Node, obj: Model, identity: Identity) -> dict[str, Any]:
    data: dict[str, Any] = {}
    name = ""  # the DTO field being filled, for the error if reading it would query
    try:
        for name, path in node.scalars:
            data[name] = _follow(obj, path)
        for name, alias in node.annotated:
            data[name] = getattr(obj, alias)
        for name, source, child, _ in node.ones:
            data[name] = _nested(child, _related(obj, source), identity)
        for edge in node.manys:
            name = edge.field
            items: list[Model] = getattr(obj, _attr(edge))
            if edge.child is None:
                data[name] = tuple(_follow(item, edge.scalar or "pk") for item in items)
            else:
                data[name] = tuple(_nested(edge.child, item, identity) for item in items)
    except REFUSALS as refusal:
        model = type(obj).__name__
        raise lazy_load_refused(node.plan, field=name, model=model, refusal=refusal) from refusal
    for name, marker in node.missing:
        data[name] = marker
    # In the DTO's declared order: a DTO built without validation keeps this dict as it is.
    return {name: data[name] for name in field_types(node.plan.dto)}


def _nested(node: Node, obj: Model | None, identity: Identity) -> Any:
    if obj is None:
        return None
    seen = identity.of(node)
    dto = seen.get(obj.pk)
    if dto is None:
        dto = one_builder(node.plan.dto, trusted=node.trusted)(_fields(node, obj, identity))
        seen[obj.pk] = dto
    return dto


def _related(obj: Model, name: str) -> Any:
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None  # a reverse one-to-one with no row


def _follow(obj: Any, path: str) -> Any:
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = _related(value, part)
    return value
