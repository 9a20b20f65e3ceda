"""Resolve a plan against its model: which columns, joins, annotations and child queries.

The result is a tree of :class:`Node` (one per DTO in the plan: the root, and each nested
to-one DTO, which shares its parent's query) and :class:`ManyEdge` (one per to-many relation,
each with its own query whose rows are the root node of the child plan).

Both strategies run the same tree: the values strategy reads ``values()`` keys
(``node.prefix + path``), the instances strategy walks attributes.
"""

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignObjectRel, ManyToManyField, Model
from django.db.models.expressions import BaseExpression, Combinable

from fetchplan.dto import NotLoaded
from fetchplan.plan.declare import Load, Many, One, Plan
from fetchplan.plan.dto_kinds import field_types
from fetchplan.plan.inference import infer_relations
from fetchplan.plan.paths import canonical_path, get_field, many_path, plan_error, unfollowable
from fetchplan.plan.precision import full_precision, wants_float
from fetchplan.plan.through import names_through, through_link, through_order
from fetchplan.plan.type_rules import mentions_not_loaded

ANNOTATION_PREFIX = "plan_"
RANK_KEY = "plan_rank"


@dataclass(eq=False)
class ManyEdge:
    """A to-many relation: its child query and how child rows attach to parents."""

    field: str
    spec: Many
    related_model: type[Model]
    parent_lookup: str
    """Lookup from the related model back to the parent (``book`` for Review, ``books`` for Tag)."""
    accessor: str
    """Attribute on a parent instance (for ``Prefetch``)."""
    order_by: "tuple[str | Combinable, ...]"
    """The children's order: the plan's names, else the related model's ``Meta.ordering`` as
    it is (names, or expressions such as ``F("name").asc(nulls_last=True)``), then ``pk``."""
    child: "Node | None"
    scalar: str | None
    keys: list[str] = dataclasses.field(default_factory=list)  # `field` is an attribute here
    """The child query's ``values_list()`` keys (the child's own, then the parent key)."""
    parent_index: int = -1
    scalar_index: int = -1
    shared: bool = True
    """One DTO per related row, shared by its parents (M2M); False when the rows carry
    through-model columns, which differ per parent."""


@dataclass(eq=False)
class Node:
    """One DTO of a plan, at ``prefix`` inside its query's rows."""

    plan: Plan[Any, Any]
    model: type[Model]
    prefix: str
    scalars: list[tuple[str, str]] = field(default_factory=list)
    """(DTO field, lookup path relative to this node) read from columns."""
    annotations: dict[str, BaseExpression] = field(default_factory=dict)
    """(alias -> expression), only on a query's root node."""
    annotated: list[tuple[str, str]] = field(default_factory=list)
    """(DTO field, alias) read from annotations."""
    ones: list[tuple[str, str, "Node", bool]] = field(default_factory=list)
    """(DTO field, relation name, nested node, nullable)."""
    manys: list[ManyEdge] = field(default_factory=list)
    missing: list[tuple[str, NotLoaded]] = field(default_factory=list)
    trusted: bool = True
    """Build this node's DTOs without validation: the checks proved every field exact."""
    # Positions in the query's row tuples, set by lay_out() once the node tree is complete.
    keys: list[str] = field(default_factory=list)
    """The ``values_list()`` keys of this node's query (query roots only)."""
    pk_index: int = -1
    columns: dict[str, int] = field(default_factory=dict)
    """DTO fields read straight from columns (scalars, then annotations) -> row position."""
    row_factories: dict[tuple[bool, bool], Any] = field(default_factory=dict)
    """Generated row-builder factories by (nested, dicts) (``row_builders``): they live as
    long as the node, so a plan made inside a function frees its generated code with itself."""
    column_layout: dict[str, Any] = field(default_factory=dict)
    """The column-wise builder's layout of this node (``column_builders``), made on first use."""

    @property
    def pk_key(self) -> str:
        """The ``values()`` key of this node's primary key."""
        return f"{self.prefix}pk"

    def count_many(self) -> int:
        """Return the number of to-many edges in this subtree (each costs one query)."""
        total = 0
        for _, _, node, _ in self.ones:
            total += node.count_many()
        for edge in self.manys:
            total += 1 + (edge.child.count_many() if edge.child else 0)
        return total

    def walk(self) -> "list[Node]":
        """Return this node and its nested to-one nodes (same query), depth first."""
        nodes = [self]
        for _, _, node, _ in self.ones:
            nodes.extend(node.walk())
        return nodes

    def value_keys(self) -> list[str]:
        """Return every ``values()`` key this node's query must select."""
        keys: list[str] = []
        for node in self.walk():
            keys.append(node.pk_key)
            keys.extend(node.prefix + path for _, path in node.scalars)
        keys.extend(alias for _, alias in self.annotated)
        return list(dict.fromkeys(keys))

    def related_paths(self) -> list[str]:
        """Return the ``select_related`` paths the instances strategy needs."""
        paths: set[str] = set()
        for node in self.walk():
            if node.prefix:
                paths.add(node.prefix.removesuffix("__"))
            for _, path in node.scalars:
                parts = path.split("__")[:-1]
                for i in range(1, len(parts) + 1):
                    paths.add(node.prefix + "__".join(parts[:i]))
        return sorted(paths)


def compile_plan(plan: Plan[Any, Any], *, unproven: Collection[Plan[Any, Any]] = ()) -> Node:
    """Resolve ``plan`` as the root of a query; raise PlanError if it does not fit its model.

    ``unproven`` are the plans (``plan`` or nested ones) whose DTOs must be validated when
    built, because the checks could not prove each field's type exactly.
    """
    root = _compile(plan, prefix="", query_root=True, unproven=unproven)
    lay_out(root, [])
    return root


def lay_out(root: Node, extra_keys: Sequence[str]) -> dict[str, int]:
    """Fix the column order of ``root``'s query and record each node's positions in it.

    Rows are read as tuples (``values_list()``): no dict per row; each node's generated row
    builder reads its columns at these positions. Returns the key -> position map.
    """
    root.keys = list(dict.fromkeys([*root.value_keys(), *extra_keys]))
    index = {key: position for position, key in enumerate(root.keys)}
    for node in root.walk():
        node.pk_index = index[node.pk_key]
        columns = [(name, node.prefix + path) for name, path in node.scalars] + node.annotated
        node.columns = {name: index[key] for name, key in columns}
    return index


def _compile(
    plan: Plan[Any, Any],
    *,
    prefix: str,
    query_root: bool,
    unproven: Collection[Plan[Any, Any]],
    provided: Mapping[str, str] | None = None,
) -> Node:
    """Resolve ``plan`` at ``prefix``; ``provided`` maps DTO fields to paths the parent
    relation gives (through-model columns), read as they are."""
    provided = provided or {}
    infer_relations(plan)
    node = Node(plan=plan, model=plan.model, prefix=prefix, trusted=plan not in unproven)
    dto_fields = field_types(plan.dto)
    for name in plan.relations:
        if name not in dto_fields:
            raise plan_error(plan, f"relation {name!r} has no field on {plan.dto.__name__}")
    for name in plan.fields:
        if name not in dto_fields:
            raise plan_error(plan, f"field source {name!r} has no field on {plan.dto.__name__}")
    for name, annotation in dto_fields.items():
        relation = plan.relations.get(name)
        source = plan.fields.get(name)
        if name in provided:
            node.scalars.append((name, provided[name]))
        elif isinstance(relation, One):
            _add_one(node, name, relation, unproven)
        elif isinstance(relation, Many):
            node.manys.append(_many_edge(plan, name, relation, unproven))
        elif isinstance(relation, Load):  # the checks report it first (fetchplan.E006)
            raise plan_error(plan, f"Load() fills {name!r} with options of a to-many relation")
        elif isinstance(source, BaseExpression):
            if not query_root:
                raise plan_error(
                    plan,
                    f"field {name!r} is an expression, but this plan is nested as a to-one "
                    "relation; annotate on the root plan instead",
                )
            alias = ANNOTATION_PREFIX + name
            node.annotations[alias] = full_precision(source) if wants_float(annotation) else source
            node.annotated.append((name, alias))
        elif source is None and mentions_not_loaded(annotation) and _is_relation(plan.model, name):
            node.missing.append((name, NotLoaded(plan.dto.__name__, name, plan.label)))
        else:
            path = name if source is None else source
            node.scalars.append((name, canonical_path(plan.model, path, plan)))
    return node


def _add_one(node: Node, name: str, relation: One, unproven: Collection[Plan[Any, Any]]) -> None:
    source = relation.source or name
    model_field = get_field(node.plan, node.model, source)
    if not (model_field.many_to_one or model_field.one_to_one):
        raise plan_error(node.plan, f"{source!r} is not a to-one relation; use Many() for it")
    nested = relation.plan
    if nested is None:  # the checks report it first (fetchplan.E006)
        raise plan_error(node.plan, f"One() fills {name!r} with no plan, and none was inferred")
    if nested.model is not model_field.related_model:
        raise plan_error(
            node.plan,
            f"One({nested.label}) fills {source!r}, which leads to "
            f"{model_field.related_model.__name__ if model_field.related_model else '?'}, "
            f"not {nested.model.__name__}",
        )
    nullable = bool(getattr(model_field, "null", False)) or isinstance(
        model_field, ForeignObjectRel
    )
    prefix = f"{node.prefix}{source}__"
    child = _compile(nested, prefix=prefix, query_root=False, unproven=unproven)
    node.ones.append((name, source, child, nullable))


def _many_edge(
    plan: Plan[Any, Any], name: str, relation: Many, unproven: Collection[Plan[Any, Any]]
) -> ManyEdge:
    source = relation.source or name
    if "__" in source:  # several hops: the lookup back to the parent walks them all
        resolved = many_path(plan.model, source)
        if isinstance(resolved, str):
            raise plan_error(plan, resolved)
        related, parent_lookup = resolved
        accessor = source
        return _edge(plan, name, relation, unproven, related, parent_lookup, accessor)
    model_field = get_field(plan, plan.model, source)
    if not (model_field.one_to_many or model_field.many_to_many):
        raise plan_error(plan, f"{source!r} is not a to-many relation; use One() or a field path")
    why = unfollowable(model_field)
    if why is not None:
        raise plan_error(plan, why)
    related = model_field.related_model
    assert isinstance(related, type)
    provided: dict[str, str] = {}
    if relation.through_fields or names_through(relation.order_by):
        provided, order_by = _through(plan, relation, source)
        relation = copy(relation)  # replace() would re-run the check that refuses plan=
        object.__setattr__(relation, "order_by", order_by)
    if isinstance(model_field, ForeignObjectRel):
        parent_lookup = model_field.field.name
        accessor = model_field.get_accessor_name() or source
    else:
        assert isinstance(model_field, ManyToManyField)
        parent_lookup = model_field.related_query_name()
        accessor = model_field.name
    return _edge(plan, name, relation, unproven, related, parent_lookup, accessor, provided)


def _edge(
    plan: Plan[Any, Any],
    name: str,
    relation: Many,
    unproven: Collection[Plan[Any, Any]],
    related: type[Model],
    parent_lookup: str,
    accessor: str,
    provided: Mapping[str, str] | None = None,
) -> ManyEdge:
    """Build the edge; ``provided`` maps element DTO fields to through-model lookups."""
    source = relation.source or name
    child: Node | None = None
    provided = provided or {}
    if relation.plan is not None:
        if relation.plan.model is not related:
            raise plan_error(
                plan,
                f"Many({relation.plan.label}) fills {source!r}, which leads to "
                f"{related.__name__}, not {relation.plan.model.__name__}",
            )
        child = _compile(
            relation.plan, prefix="", query_root=True, unproven=unproven, provided=provided
        )
    else:
        assert relation.scalar is not None
        relation = replace(relation, scalar=canonical_path(related, relation.scalar, plan))
    order: tuple[str | Combinable, ...] = relation.order_by or tuple(related._meta.ordering or ())
    order = order or ("pk",)
    if "pk" not in order and "-pk" not in order:
        order = (*order, "pk")
    edge = ManyEdge(
        field=name,
        spec=relation,
        related_model=related,
        parent_lookup=parent_lookup,
        accessor=accessor,
        order_by=order,
        child=child,
        scalar=relation.scalar,
        shared=not provided,
    )
    parent_key = f"{parent_lookup}__pk"
    if child is not None:
        index = lay_out(child, [parent_key])
        edge.keys = child.keys
    else:
        edge.keys = list(dict.fromkeys([relation.scalar or "pk", parent_key]))
        index = {key: position for position, key in enumerate(edge.keys)}
        edge.scalar_index = index[relation.scalar or "pk"]
    edge.parent_index = index[parent_key]
    return edge


def _through(
    plan: Plan[Any, Any], relation: Many, source: str
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Return ``relation``'s through fields and ``order_by`` spelt as lookups from the
    related model (``role`` -> ``membership__role``)."""
    link = through_link(plan.model, source)
    if isinstance(link, str):  # the checks report it first (fetchplan.E006)
        raise plan_error(plan, f"Many(through_fields=...) on {source!r}: {link}")
    through, lookup = link
    fields = {
        name: f"{lookup}__{canonical_path(through, column, plan)}"
        for name, column in relation.through_fields.items()
    }
    return fields, through_order(relation.order_by, lookup)


def _is_relation(model: type[Model], name: str) -> bool:
    try:
        return bool(model._meta.get_field(name).is_relation)
    except FieldDoesNotExist:
        return True  # a relation the DTO names differently; the checks report real mistakes
