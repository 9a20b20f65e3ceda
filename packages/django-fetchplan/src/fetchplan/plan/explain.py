"""Explain a plan without running it: the SQL statements it will run and its query budget.

Statements carry ``%s`` placeholders, not values. A to-many statement by parent ids is shown
with one placeholder; at run time it has one per parent id, up to the backend's batch size. A
limited level (``Many(limit=n)``) selects several parents' children with a per-parent window,
and a single parent's with a plain ``LIMIT`` (``one_parent_sql``, e.g. a page's reviews). A
level whose parents a subquery selects takes their ids instead when they are few
(``few_parents_sql``): which form runs depends on the rows, so both are shown.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, override

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.db.models.fields import related_descriptors

from fetchplan.plan.compile import ManyEdge, Node
from fetchplan.plan.declare import Plan, Strategy
from fetchplan.plan.instances_strategy import prefetch_queryset, prepare
from fetchplan.plan.querysets import (
    FEW_PARENTS,
    AllParents,
    Parents,
    batch_size,
    child_queryset,
    child_values,
    parents_subquery,
    root_values,
)

EXAMPLE_PARENT_ID = 0


@dataclass(frozen=True)
class Statement:
    """One SQL statement a plan runs, and what it is for."""

    purpose: str
    sql: str
    one_parent_sql: str | None = None
    """For a limited level that may go by parent ids: the statement run when a batch holds
    one parent id (``WHERE parent = %s ... LIMIT n``, no window)."""
    few_parents_sql: str | None = None
    """For a level whose parents a subquery selects: the statement run when they are at most
    ``FEW_PARENTS`` rows, by their ids (values strategy)."""


@dataclass(frozen=True)
class Explanation:
    """What running a plan costs: its statements, and its budget per fetch (or chunk)."""

    plan: str
    model: str
    dto: str
    strategy: str
    budget: int
    statements: tuple[Statement, ...]
    batch_size: int

    @override
    def __str__(self) -> str:
        return self.as_text()

    def as_text(self, *, format_sql: Callable[[str], str] = str) -> str:
        """Return the explanation as text, each statement's SQL passed through ``format_sql``.

        Multi-line SQL (e.g. from a formatter) is indented under its statement's number.
        """
        lines = [
            f"plan {self.plan}: {self.model} -> {self.dto} ({self.strategy})",
            f"budget: {self.budget} queries per fetch (per chunk when streaming); "
            f"to-many levels take parent ids {self.batch_size} at a time",
        ]
        for number, statement in enumerate(self.statements, start=1):
            lines.append(f"  {number}. {statement.purpose}")
            lines.extend(f"     {line}" for line in format_sql(statement.sql).splitlines())
            for label, other in (
                (f"for at most {FEW_PARENTS} parents, by ids:", statement.few_parents_sql),
                ("for one parent id:", statement.one_parent_sql),
            ):
                if other is not None:
                    lines.append(f"     {label}")
                    lines.extend(f"     {line}" for line in format_sql(other).splitlines())
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """Return the explanation as JSON-ready data."""
        return {
            "plan": self.plan,
            "model": self.model,
            "dto": self.dto,
            "strategy": self.strategy,
            "budget": self.budget,
            "batch_size": self.batch_size,
            "statements": [
                {
                    "purpose": s.purpose,
                    "sql": s.sql,
                    "few_parents_sql": s.few_parents_sql,
                    "one_parent_sql": s.one_parent_sql,
                }
                for s in self.statements
            ],
        }


def explain(
    plan: Plan[Any, Any],
    queryset: QuerySet[Any] | None = None,
    *,
    using: str | None = None,
    streaming: bool = False,
) -> Explanation:
    """Return the statements ``plan`` runs over ``queryset`` (default: all rows) and its budget.

    Runs no query. The number of statements equals ``plan.budget()``. With ``streaming``,
    the to-many statements are those each chunk runs (by parent ids).
    """
    if queryset is None:
        queryset = plan.model._default_manager.all()
    if using is not None:
        queryset = queryset.using(using)
    alias = queryset.db or DEFAULT_DB_ALIAS
    node = plan.compiled()
    if plan.strategy is Strategy.VALUES:
        root = root_values(node, queryset)
    else:
        root = prepare(node, queryset)
    statements = [Statement(f"{plan.model.__name__} rows", _sql(root))]
    source = None if streaming or plan.strategy is Strategy.INSTANCES else queryset
    _explain_edges(node, plan.strategy, alias, statements, "", source)
    return Explanation(
        plan=plan.label,
        model=plan.model.__name__,
        dto=plan.dto.__name__,
        strategy=str(plan.strategy),
        budget=plan.budget(),
        statements=tuple(statements),
        batch_size=batch_size(alias),
    )


def _explain_edges(
    node: Node,
    strategy: Strategy,
    alias: str,
    out: list[Statement],
    path: str,
    source: QuerySet[Any] | None,
) -> None:
    """Append the statements of ``node``'s to-many edges, mirroring the values strategy."""
    for owner in node.walk():
        subquery = None if source is None else parents_subquery(source, owner)
        parents: Parents = [EXAMPLE_PARENT_ID] if subquery is None else subquery
        for edge in owner.manys:
            where = f"{path}{owner.prefix}{edge.field}"
            by_ids = strategy is Strategy.VALUES and not isinstance(subquery, AllParents)
            purpose = _purpose(
                edge,
                where,
                by_subquery=subquery is not None,
                few_by_ids=by_ids and subquery is not None,
            )
            queryset = _edge_queryset(edge, owner, strategy, alias, parents)
            few_parents_sql = None
            if by_ids and subquery is not None:  # few parents go as ids instead
                few_parents_sql = _sql(child_values(edge, [EXAMPLE_PARENT_ID], alias, window=True))
            one_parent_sql = None
            if by_ids and edge.spec.limit is not None:
                one_parent_sql = _sql(child_values(edge, [EXAMPLE_PARENT_ID], alias))
            out.append(Statement(purpose, _sql(queryset), one_parent_sql, few_parents_sql))
            if edge.child is not None:
                nested = child_queryset(edge, parents, alias) if subquery is not None else None
                _explain_edges(edge.child, strategy, alias, out, f"{where}.", nested)


def _purpose(edge: ManyEdge, where: str, *, by_subquery: bool, few_by_ids: bool) -> str:
    detail = [f"{edge.related_model.__name__} rows for {where}"]
    if edge.spec.limit is not None:
        detail.append(f"at most {edge.spec.limit} per parent")
    if few_by_ids:
        detail.append(f"parents by subquery, or by ids when at most {FEW_PARENTS}")
    else:
        detail.append("parents by subquery (or all)" if by_subquery else "by parent ids")
    return ", ".join(detail)


def _edge_queryset(
    edge: ManyEdge, owner: Node, strategy: Strategy, alias: str, parents: Parents
) -> QuerySet[Any]:
    if strategy is Strategy.VALUES:
        return child_values(edge, parents, alias, window=True)
    return _prefetch_queryset(edge, owner, alias)


def _prefetch_queryset(edge: ManyEdge, owner: Node, alias: str) -> QuerySet[Any]:
    """Return the queryset ``Prefetch`` runs for ``edge``, for one example parent.

    Django's related manager builds it, as it does at run time: its parent filter (after the
    plan's own filter), the extra column of a many-to-many join, its per-parent window for
    a limit, and the child plan's joins and annotations.
    """
    parent = owner.model(pk=EXAMPLE_PARENT_ID)
    for ancestor in owner.model._meta.get_parent_list():  # multi-table inheritance: a relation
        ancestor_pk = ancestor._meta.pk  # declared on a parent model reads the parent's key
        assert ancestor_pk is not None
        setattr(parent, ancestor_pk.attname, EXAMPLE_PARENT_ID)
    parent._state.db = alias
    children = prefetch_queryset(edge, alias)
    manager: Any = getattr(parent, edge.accessor)
    if getattr(manager, "through", None) is None:
        # A reverse foreign key: its manager would run the query to link rows to parents,
        # so apply the filter it applies (the same private helper, with its window).
        filter_parents = related_descriptors._filter_prefetch_queryset  # type: ignore[attr-defined]  # private, not in the stubs
        filtered: QuerySet[Any] = filter_parents(children, edge.parent_lookup, [parent])
        return filtered
    queryset: QuerySet[Any] = manager.get_prefetch_querysets([parent], [children])[0]
    return queryset


def _sql(queryset: QuerySet[Any]) -> str:
    # Compiled for the queryset's own database: `query.sql_with_params()` would compile for
    # the default one, and another backend spells the same query differently.
    sql, _ = queryset.query.get_compiler(using=queryset.db).as_sql()
    return str(sql)
