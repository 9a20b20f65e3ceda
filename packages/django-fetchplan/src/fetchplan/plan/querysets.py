"""Build the querysets a compiled plan runs: the root query and each to-many child query.

Shared by both strategies, by ``explain()`` and by streaming. On Django 6.1 every queryset
returned here uses ``fetch_mode(FETCH_RAISE)``: a plan that forgot a relation fails loudly
instead of running a hidden query (rows from ``values_list()`` cannot query at all).
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, override

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, QuerySet, Window
from django.db.models.expressions import BaseExpression, Col, Combinable
from django.db.models.functions import RowNumber
from django.db.models.lookups import In
from django.db.models.sql.where import AND

from fetchplan.compat import raise_on_lazy_fetch
from fetchplan.plan.compile import RANK_KEY, ManyEdge, Node

# PostgreSQL (client-side binding) has no parameter limit in Django's features; very long IN
# lists are still slow to parse, so parent ids go in batches of at most this many there.
DEFAULT_MAX_BATCH = 50_000
FEW_PARENTS = 2_000
"""At most this many parents (and within one batch) go as ids even where a subquery could
select them: the database then finds their children through the parent key's index, where a
subquery of a filtered parent table may make it scan the whole child table (PostgreSQL, the
tags of 1,000 of 100,000 books: 48 ms by subquery, 6.7 ms by 1,000 ids; at 10,000 books 75
and 65 ms, plus 10,000 parameters to bind, so large sets keep the subquery). Not tuned between
those two measured points."""


def order_expressions(order_by: Sequence[str | Combinable]) -> list[BaseExpression | F]:
    """Turn ``("-created", "pk")`` into ORDER BY expressions (for window functions); an
    expression (from a model's ``Meta.ordering``) stays as it is."""
    return [_order_expression(name) for name in order_by]


def _order_expression(name: str | Combinable) -> BaseExpression | F:
    if isinstance(name, BaseExpression | F):  # OrderBy, F: what Meta.ordering may hold
        return name
    assert isinstance(name, str), f"unexpected ordering {name!r}"
    return F(name[1:]).desc() if name.startswith("-") else F(name).asc()


def root_values(node: Node, queryset: QuerySet[Any]) -> QuerySet[Any, tuple[Any, ...]]:
    """Return the caller's queryset annotated and reduced to the node's row tuples."""
    queryset = raise_on_lazy_fetch(queryset)
    if node.annotations:
        queryset = queryset.annotate(**node.annotations)
    return queryset.values_list(*node.keys)


class AllParents:
    """Every row of the parent table: the child query needs no parent filter at all."""

    @override
    def __repr__(self) -> str:
        return "ALL_PARENTS"


ALL_PARENTS = AllParents()

Parents = Sequence[object] | QuerySet[Any] | AllParents
"""The parents of a child query: a list of primary keys, a subquery selecting them, or all."""


def one_parent(edge: ManyEdge, parents: Parents) -> bool:
    """Return True if ``edge``'s child query for ``parents`` limits one parent's children.

    Then a plain ``LIMIT`` does what the per-parent window does for many parents: the query
    filters on that one parent id and stops after ``limit`` rows in the plan's order (a page
    fetch: ``fetch_one`` over one book, its five latest reviews). Without a limit there is
    nothing to change, and a subquery (or every row) may select any number of parents.
    """
    return (
        edge.spec.limit is not None
        and isinstance(parents, Sequence)
        and not isinstance(parents, str)
        and len(parents) == 1
    )


def child_queryset(
    edge: ManyEdge, parents: Parents, using: str, *, window: bool = False
) -> QuerySet[Any]:
    """Return the related rows of ``parents``, filtered, ordered and limited per parent.

    Rows carry their parent's primary key (``<lookup>__pk``; for M2M it
    comes through the join the ``__in`` filter made). A limit for one parent id
    (:func:`one_parent`) is left to :func:`child_rows`, which slices the ordered rows, unless
    ``window`` forces the per-parent window anyway (``explain()`` shows both forms).
    """
    manager = edge.related_model._default_manager
    queryset = raise_on_lazy_fetch(manager.using(using).all())
    if isinstance(parents, AllParents):
        queryset = queryset.filter(**{f"{edge.parent_lookup}__isnull": False})
    elif one_parent(edge, parents) and not window:
        assert isinstance(parents, Sequence)
        queryset = queryset.filter(**{f"{edge.parent_lookup}__pk": parents[0]})
    else:
        queryset = queryset.filter(**{f"{edge.parent_lookup}__pk__in": parents})
        if connections[using].vendor == "postgresql":
            _ids_as_array(queryset)
    if edge.spec.filter is not None:
        queryset = queryset.filter(edge.spec.filter)
    if edge.spec.distinct:
        queryset = queryset.distinct()
    if edge.child is not None and edge.child.annotations:
        queryset = queryset.annotate(**edge.child.annotations)
    if edge.spec.limit is not None and (window or not one_parent(edge, parents)):
        rank = Window(
            RowNumber(),
            partition_by=[F(edge.parent_lookup)],
            order_by=order_expressions(edge.order_by),
        )
        queryset = queryset.annotate(**{RANK_KEY: rank}).filter(
            **{f"{RANK_KEY}__lte": edge.spec.limit}
        )
    return queryset.order_by(*edge.order_by)


if TYPE_CHECKING:  # django-stubs' Lookup is generic; Django's own is not subscriptable
    _Lookup = Lookup[Any]
else:
    _Lookup = Lookup


class AnyOf(_Lookup):
    """``column = ANY(%s)``: a list of parent ids sent as one array parameter (PostgreSQL).

    ``IN (%s, %s, ...)`` costs a placeholder per id, each quoted by psycopg and parsed by the
    server: the tags of 1,000 books took 6.10 ms by 1,000 placeholders and 3.68 ms by one
    array, of 2,000 books 13.06 and 7.43 ms (``python -m bench.id_lists``, medians of 15).
    Its values are the ``__in`` lookup's, already prepared for the column's field.
    """

    lookup_name = "fetchplan_any"
    prepare_rhs = False

    @override
    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        ids = [field.get_db_prep_value(value, connection, prepared=True) for value in self.rhs]
        return f"{lhs_sql} = ANY(%s)", (*lhs_params, ids)


def _ids_as_array(queryset: QuerySet[Any]) -> None:
    """Turn the parent filter ``queryset`` just got, ``IN`` a list of ids, into :class:`AnyOf`.

    Left as it is unless that filter is a plain ``IN`` of a column against a list of values
    (a relation over several columns, say, keeps Django's lookup).
    """
    where: Any = queryset.query.where  # its children are typed as Nodes; lookups go there too
    last = where.children[-1] if where.children else None
    if (
        where.connector == AND
        and not where.negated
        and isinstance(last, In)
        and isinstance(last.lhs, Col)
        and isinstance(last.rhs, list | tuple)
        and None not in last.rhs
    ):
        where.children[-1] = AnyOf(last.lhs, list(last.rhs))


def child_values(
    edge: ManyEdge, parents: Parents, using: str, *, window: bool = False
) -> QuerySet[Any, tuple[Any, ...]]:
    """Return the child query of ``edge`` as row tuples laid out as ``edge.keys``."""
    return child_rows(edge, child_queryset(edge, parents, using, window=window))


def child_rows(edge: ManyEdge, children: QuerySet[Any]) -> QuerySet[Any, tuple[Any, ...]]:
    """Return ``children`` (a :func:`child_queryset`) as row tuples laid out as ``edge.keys``.

    The keys name each column once: Django drops repeated columns from the subquery it
    builds to filter on a window function, which would shift every value after them. A
    limited child query without the window (one parent) is sliced here, after the ordering.
    """
    # Parent first: each parent's children stay in the plan's order, and the database can
    # read them in index order instead of sorting every row (SQLite, 30,000 book-tag rows:
    # 174 ms sorted by tag name, 40 ms by book then name; measured by bench/).
    rows = children.order_by(f"{edge.parent_lookup}__pk", *edge.order_by).values_list(*edge.keys)
    if edge.spec.limit is not None and RANK_KEY not in children.query.annotations:
        return rows[: edge.spec.limit]
    return rows


def parents_subquery(source: QuerySet[Any], owner: Node) -> QuerySet[Any] | AllParents | None:
    """Return how a child query of ``owner`` selects its parents in ``source`` without ids.

    A child query filtered by ``IN (SELECT ...)`` sends no id list, which a listing of
    10,000 books would otherwise send (docs/performance.md). When ``source`` is a whole table
    (no filter), the children need no parent filter at all (``ALL_PARENTS``; measured 12 ms
    less than the subquery for 30,000 book-tag rows on PostgreSQL). Returns None (use ids)
    for a sliced queryset: a LIMIT over rows with tied sort keys may pick other rows when run
    a second time, and the children of a parent that was not picked would be lost.
    """
    query = source.query
    if query.is_sliced:
        return None
    if owner.prefix == "" and not query.where and not query.combinator and not query.extra:
        return ALL_PARENTS
    return source.values(owner.pk_key)


def few_parents(count: int, using: str) -> bool:
    """Return True if ``count`` parents go as one id list rather than by subquery."""
    return count <= min(FEW_PARENTS, batch_size(using))


def batch_size(using: str) -> int:
    """Return how many parent ids fit in one child query on database ``using``."""
    limit = connections[using].features.max_query_params
    # Leave room for the parameters of the child plan's own filter.
    return max(1, min(limit - 100, DEFAULT_MAX_BATCH) if limit else DEFAULT_MAX_BATCH)
