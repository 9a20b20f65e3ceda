"""Refuse every query while DTOs are built from model instances: a lazy load is a plan bug.

The instances strategy loads what a plan reads with ``select_related`` and ``Prefetch``; reading
anything else from an instance (a relation the plan does not load, a field the caller's
queryset deferred) would run one hidden query per row. Django 6.1 refuses such loads on the
engine's querysets (``fetch_mode(FETCH_RAISE)`` raises ``FieldFetchBlocked``); Django 5.2 has no
fetch modes. On both, DTOs are built inside a no-query zone, and either refusal becomes a
:class:`LazyLoadRefused` that names the plan, the DTO field and the model.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fetchplan.compat import FETCH_BLOCKED_ERRORS
from fetchplan.observe.hook import gated
from fetchplan.plan.declare import Plan
from fetchplan.plan.errors import PlanError

LAZY_LOAD = (
    "Plan {plan} would query lazily while building {dto}{field} from a {model} instance "
    "({detail}). Load what the DTO reads with the plan (One()/Many(), field paths), and do "
    "not defer() those fields in the queryset."
)
QUERY_REFUSED = "it would run {sql!r}"
OUTSIDE_FIELDS = "outside its fields, e.g. in a validator"


class LazyLoadRefused(PlanError):
    """Building DTOs from model instances would have run a query; none ran."""


class QueryRefused(Exception):
    """Raised by the guard's zone on a statement; turned into :class:`LazyLoadRefused`."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        super().__init__(QUERY_REFUSED.format(sql=sql))


class _Refuse:
    """A no-query zone (a ``Gate`` of ``observe.hook``) that refuses every statement."""

    def check(self, sql: str, alias: str) -> None:
        raise QueryRefused(sql)


REFUSALS: tuple[type[Exception], ...] = (QueryRefused, *FETCH_BLOCKED_ERRORS)
"""What a lazy load raises inside :func:`no_lazy_loads`: the zone's or Django's refusal."""


def lazy_load_refused(
    plan: Plan[Any, Any], *, field: str | None, model: str, refusal: Exception
) -> LazyLoadRefused:
    """Return the error for ``refusal``, met while filling ``field`` (None: not in a field)."""
    return LazyLoadRefused(
        LAZY_LOAD.format(
            plan=plan.label,
            dto=plan.dto.__name__,
            field=f".{field}" if field else f" {OUTSIDE_FIELDS}",
            model=model,
            detail=refusal,
        )
    )


@contextmanager
def no_lazy_loads(plan: Plan[Any, Any]) -> Iterator[None]:
    """Refuse every statement, on every database, while the block builds ``plan``'s DTOs.

    Raises :class:`LazyLoadRefused` for a refusal the block did not turn into one itself
    (the builders name the field they were filling).
    """
    try:
        with gated(_Refuse()):
            yield
    except REFUSALS as refusal:
        raise lazy_load_refused(
            plan, field=None, model=plan.model.__name__, refusal=refusal
        ) from refusal
