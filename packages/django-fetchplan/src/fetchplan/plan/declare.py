"""Declaring a fetch plan: which DTO, from which model, with which fields and relations.

A plan is immutable data; building it runs no query and needs no database. Running it is a
separate step (:mod:`fetchplan.plan.run`). A plan declared at import time registers itself, so
that the system checks (:mod:`fetchplan.plan.checks`) and ``manage.py plans`` see it (the rule
is in :mod:`fetchplan.plan.registry`); every plan, registered or not, is checked with the same
rules the first time it is compiled (:mod:`fetchplan.plan.validate`).

Example::

    AUTHOR_REF = Plan(Author, AuthorRef)                    # fields by name: id, name
    BOOK_CARD = Plan(
        Book,
        BookCard,
        fields={"review_count": Count("reviews"), "publisher_name": "publisher__name"},
        relations={
            "author": One(AUTHOR_REF),                       # to-one: joined, same query
            "tags": Many(scalar="name"),                     # to-many scalars: 1 query
            "reviews": Many(order_by=("-created",), limit=5),  # plan inferred: Review -> X
        },                                                   # from reviews: tuple[X, ...]
    )
"""

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import FrameType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, override

from django.db.models import Model, Q
from django.db.models.expressions import BaseExpression
from pydantic import BaseModel

from fetchplan.plan.errors import (
    BAD_FILTER,
    BAD_LIMIT,
    BAD_MAPPING,
    BAD_ORDER_BY,
    BAD_RELATION,
    BAD_STRATEGY,
    BAD_THROUGH_FIELDS,
    THROUGH_NEEDS_INFERENCE,
    PlanError,
)

if TYPE_CHECKING:
    from fetchplan.plan.compile import Node

Source = str | BaseExpression
"""Where a DTO field comes from: a lookup path (``"author__name"``) or an expression."""


class Strategy(StrEnum):
    """How a plan reads rows. Both give equal DTOs for the same data."""

    VALUES = "values"
    """``values()`` rows, no model instances: the fast default."""
    INSTANCES = "instances"
    """Model instances via ``select_related`` / ``Prefetch``: when a model method is needed."""


@dataclass(frozen=True)
class One:
    """Load a to-one relation (FK, one-to-one, either direction) as a nested DTO.

    It comes through the same query (joined columns). ``source`` is the model's relation name
    when it differs from the DTO field's name. Without ``plan``, the nested plan is inferred:
    the related model, the DTO class the field's annotation names (``fetchplan.plan.inference``).
    """

    plan: "Plan[Any, Any] | None" = None
    source: str | None = None


@dataclass(frozen=True)
class Many:
    """Load a to-many relation (reverse FK, many-to-many) with one extra query per level.

    Give ``plan`` to load nested DTOs, or ``scalar`` to load one column of the related model
    (``Many(scalar="name")`` for ``tags: tuple[str, ...]``); with neither, the nested plan is
    inferred from ``tuple[X, ...]`` and the relation's model (``Many(order_by=("-created",))``).
    ``source`` may walk several hops (``"novels__labels"``: the labels of a writer's novels),
    in one query for that level, values strategy only. ``filter``, ``order_by`` and
    ``limit`` apply *per parent* ("the 5 latest reviews of each book"), still in one query.
    """

    plan: "Plan[Any, Any] | None" = None
    scalar: str | None = None
    source: str | None = None
    filter: Q | None = None
    order_by: tuple[str, ...] = ()
    limit: int | None = None
    distinct: bool = False
    """Drop repeated child rows in SQL (``SELECT DISTINCT``): for a ``source`` path over
    several hops (``source="tracks__genre"``), where one related row is reached many times."""
    through_fields: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Fields of the element DTO read from the M2M's through model: ``{"role": "role"}`` puts
    each membership's ``role`` next to the member (:mod:`fetchplan.plan.through`). ``order_by``
    may then name through columns as ``"through__role"``. Values strategy only."""

    def __post_init__(self) -> None:
        if self.plan is not None and self.scalar is not None:
            raise PlanError(BAD_RELATION.format(got=f"plan={self.plan!r}, scalar={self.scalar!r}"))
        limit: object = self.limit
        if limit is not None and (
            not isinstance(limit, int) or isinstance(limit, bool) or limit < 1
        ):
            raise PlanError(BAD_LIMIT.format(limit=limit))
        order_by: object = self.order_by
        if not isinstance(order_by, (tuple, list)) or not all(
            isinstance(name, str) for name in order_by
        ):
            raise PlanError(BAD_ORDER_BY.format(order_by=order_by))
        object.__setattr__(self, "order_by", tuple(order_by))  # a list would make Many unhashable
        through: object = self.through_fields
        if not isinstance(through, Mapping) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in through.items()
        ):
            raise PlanError(BAD_THROUGH_FIELDS.format(got=through))
        if through and (self.plan is not None or self.scalar is not None):
            raise PlanError(THROUGH_NEEDS_INFERENCE.format(fields=dict(through)))
        object.__setattr__(self, "through_fields", dict(through))
        condition: object = self.filter
        if condition is not None and not (
            isinstance(condition, Q) or getattr(condition, "conditional", False) is True
        ):
            raise PlanError(BAD_FILTER.format(got=type(condition).__name__))


@dataclass(frozen=True)
class Load:
    """Load a relation whose kind follows the DTO field: say it once.

    ``tuple[X, ...]`` is to-many (a :class:`Many` with these options), anything else
    (``X``, ``X | None``, ``X | NotLoaded``) is to-one (a :class:`One`); the nested plan is
    inferred as for ``One()`` / ``Many()`` without one. ``relations={"author": Load(),
    "reviews": Load(order_by=("-created",), limit=5)}``. The options of a to-many relation
    (``scalar``, ``filter``, ``order_by``, ``limit``, ``distinct``, ``through_fields``) on a
    to-one field are an error (``fetchplan.E006``, mypy ``plan-relation``). Resolved when the
    plan is first checked or compiled (:mod:`fetchplan.plan.inference`).
    """

    source: str | None = None
    scalar: str | None = None
    filter: Q | None = None
    order_by: tuple[str, ...] = ()
    limit: int | None = None
    distinct: bool = False
    through_fields: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        as_many = self.as_many()  # the same argument checks as Many()
        object.__setattr__(self, "order_by", as_many.order_by)
        object.__setattr__(self, "through_fields", as_many.through_fields)

    def as_many(self) -> Many:
        """Return this relation as a ``Many`` with the same options."""
        return Many(
            scalar=self.scalar,
            source=self.source,
            filter=self.filter,
            order_by=self.order_by,
            limit=self.limit,
            distinct=self.distinct,
            through_fields=self.through_fields,
        )

    def to_many_options(self) -> list[str]:
        """Return the options given that only a to-many relation takes (``limit=``, ...)."""
        given = {
            "scalar": self.scalar is not None,
            "filter": self.filter is not None,
            "order_by": bool(self.order_by),
            "limit": self.limit is not None,
            "distinct": self.distinct,
            "through_fields": bool(self.through_fields),
        }
        return [f"{name}=" for name, present in given.items() if present]


Relation = One | Many | Load

StrategyName = Strategy | Literal["values", "instances"]
"""A strategy as the enum or its value: ``Strategy.INSTANCES`` or ``"instances"``."""


# Old-style type variables on purpose: with PEP 695 syntax mypy infers variance, and a frozen
# Plan would be covariant in its model, so `fetch_all(BOOK_PLAN, Author.objects.all())`
# would type-check (both widen to Model). Invariant variables make it an error.
# A DTO is a pydantic model or a NamedTuple (a tuple): `Plan(Book, dict)` is a type error.
M = TypeVar("M", bound=Model)
D = TypeVar("D", bound=BaseModel | tuple[Any, ...])
D2 = TypeVar("D2", bound=BaseModel | tuple[Any, ...])


@dataclass(frozen=True, eq=False)
class Plan(Generic[M, D]):  # noqa: UP046  (invariance, see above)
    """An immutable declaration of how to fill DTO ``D`` from model ``M``.

    ``fields`` maps DTO field names to sources (a lookup path through to-one relations, or an
    annotation/aggregate expression); fields not named there come from the model field of the
    same name. ``relations`` maps DTO field names to :class:`One` / :class:`Many`; a DTO field
    typed ``X | NotLoaded`` that no relation names is filled with ``NotLoaded``.
    """

    model: type[M]
    dto: type[D]
    fields: Mapping[str, Source] = field(default_factory=dict)
    relations: Mapping[str, Relation] = field(default_factory=dict)
    strategy: Strategy = Strategy.VALUES
    name: str = ""
    declared_at: str = ""

    def __post_init__(self) -> None:
        for argument in ("fields", "relations"):
            value: object = getattr(self, argument)
            if not isinstance(value, Mapping):
                raise PlanError(BAD_MAPPING.format(argument=argument, got=type(value).__name__))
            object.__setattr__(self, argument, dict(value))
        object.__setattr__(self, "strategy", _strategy(self.strategy))
        site = _declaration_site()
        if not self.declared_at:
            object.__setattr__(self, "declared_at", _location(site))
        if not self.name:
            # getattr: a plan of a non-class must still get a name, for the check that rejects it.
            dto, model = (getattr(c, "__name__", repr(c)) for c in (self.dto, self.model))
            object.__setattr__(self, "name", f"{dto} from {model}")
        from fetchplan.plan.inference import INFERRING

        if _under_import(site) and not INFERRING.get():
            from fetchplan.plan import registry

            registry.register(self)

    # -- builders: every change returns a new plan ---------------------------------------------

    def with_strategy(self, strategy: StrategyName) -> Self:
        """Return the same plan run with another strategy."""
        strategy = _strategy(strategy)
        return self._replace(strategy=strategy, name=f"{self.name} [{strategy}]")

    def with_fields(self, **sources: Source) -> Self:
        """Return a plan with more (or overridden) field sources."""
        return self._replace(fields={**self.fields, **sources})

    def with_relations(self, **relations: Relation) -> Self:
        """Return a plan that also loads these relations."""
        return self._replace(relations={**self.relations, **relations})

    def with_dto(self, dto: type[D2]) -> "Plan[M, D2]":
        """Return the same plan building ``dto`` instead: typically a DTO that narrows
        ``X | NotLoaded`` to ``X`` for the relations this plan loads.

        Code that needs those relations then says so in its signature
        (``def show(book: BookWithReviews)``), and mypy enforces it. The new DTO is checked
        like any plan's at its first compile: a narrowed relation the plan does not load is an
        error (``fetchplan.E004``), never a DTO without it.
        """
        return Plan(
            self.model,
            dto,
            fields=self.fields,
            relations=self.relations,
            strategy=self.strategy,
            name=f"{getattr(dto, '__name__', dto)} from {self.name}",
        )

    def _replace(self, **changes: Any) -> Self:
        values = {
            "model": self.model,
            "dto": self.dto,
            "fields": self.fields,
            "relations": self.relations,
            "strategy": self.strategy,
            "name": self.name,
            **changes,
        }
        return type(self)(**values)  # declared where the builder was called

    # -- introspection ---------------------------------------------------------------------------

    @property
    def label(self) -> str:
        """The plan's name and where it was declared, as error messages show it."""
        return f"'{self.name}' ({self.declared_at})"

    def budget(self) -> int:
        """Return how many queries one fetch runs: 1, plus 1 per to-many relation at any depth.

        Streaming runs this many per chunk. A to-many level whose parents exceed one batch
        (the backend's parameter limit) takes one query per batch.
        """
        return 1 + self.compiled().count_many()

    def compiled(self) -> "Node":
        """Return the plan resolved against its model (computed once, on first use).

        The first call checks the plan with the rules of ``manage.py check`` and raises
        ``PlanError`` listing every problem, so a plan that would build a wrong DTO never
        runs, wherever it was declared. Both results are kept: the check runs once per plan.
        """
        node: Node | None = self.__dict__.get("_compiled")
        if node is None:
            from fetchplan.plan.compile import compile_plan
            from fetchplan.plan.validate import validate

            findings = validate(self)
            node = compile_plan(self, unproven=findings.unproven)
            self.__dict__["_compiled"] = node
        return node

    @override
    def __repr__(self) -> str:
        model, dto = (getattr(c, "__name__", repr(c)) for c in (self.model, self.dto))
        return f"<Plan {self.label}: {model} -> {dto}, {self.strategy}>"


def _strategy(value: object) -> Strategy:
    """Return ``value`` as a Strategy, or raise PlanError naming the valid ones."""
    try:
        return Strategy(str(value))
    except ValueError:
        choices = ", ".join(repr(str(strategy)) for strategy in Strategy)
        raise PlanError(BAD_STRATEGY.format(choices=choices, got=value)) from None


def _declaration_site() -> FrameType | None:
    """Return the frame of the code that declared a plan: the first outside this module.

    Skipping this module's frames (the dataclass ``__init__`` runs with its globals too) makes
    a plan built by ``with_strategy()`` and friends declared where the builder was called.
    """
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame


def _location(frame: FrameType | None) -> str:
    """Return ``path:line`` of ``frame`` (for messages and listings), relative to sys.path."""
    if frame is None:
        return "<unknown>"
    filename = frame.f_code.co_filename
    for root in sys.path:
        if root and filename.startswith(root.rstrip("/") + "/") and "site-packages" not in root:
            filename = filename[len(root.rstrip("/")) + 1 :]
            break
    return f"{filename}:{frame.f_lineno}"


def _under_import(frame: FrameType | None) -> bool:
    """Return True if ``frame`` runs under the body of a module being imported.

    That is the registry's rule (see :mod:`fetchplan.plan.registry`). ``__main__`` does not
    count: it is the program itself, at the bottom of every stack.
    """
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") != "__main__":
            return True
        frame = frame.f_back
    return False
