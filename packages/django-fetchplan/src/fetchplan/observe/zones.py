"""Forbid database access in a region: ``no_queries()``, and its escape hatch ``allow_queries()``.

Services, DTO mapping and template rendering should never query; running them in a zone proves
it. Any statement on any alias inside the zone raises ``QueriesForbidden`` naming the SQL and
the line that ran it::

    with no_queries():
        html = render_to_string("books.html", {"books": books})

    @no_queries
    def price_with_tax(book: BookDTO) -> Decimal: ...

    with allow_queries(reason="audit log write is deliberate here"):
        log_access(user)

Scope (see ``hook``): the zone covers its context: the block, asyncio tasks it starts,
``sync_to_async``/``async_to_sync`` and ``asyncio.to_thread``. A plain ``threading.Thread``
started inside a zone is *not* covered (its context starts empty); wrap its target with
``carry_context`` to extend the zone to it. A process-wide zone would instead make one
request's zone fail another request's queries in a threaded server.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import Any, Self, overload, override

from fetchplan.observe.callsite import CallSite, find_call_site
from fetchplan.observe.hook import gated
from fetchplan.observe.wrapping import run_inside

QUERIES_FORBIDDEN = (
    "Database access is forbidden in a no_queries() zone{label}: {sql!r} on {alias!r} "
    "at {call_site}. Load what this code needs before the zone, or mark a deliberate query "
    "with allow_queries(reason=...)."
)
REASON_REQUIRED = 'allow_queries() needs a non-empty reason: allow_queries(reason="...").'


class QueriesForbidden(Exception):
    """A statement was about to run inside a no-query zone."""

    def __init__(self, *, sql: str, alias: str, call_site: CallSite, label: str | None) -> None:
        self.sql = sql
        self.alias = alias
        self.call_site = call_site
        self.label = label
        super().__init__(
            QUERIES_FORBIDDEN.format(
                label=f" ({label})" if label else "", sql=sql, alias=alias, call_site=call_site
            )
        )


class QueryZone:
    """A no-query zone: a context manager (one use at a time) and a decorator (any number).

    ``violations`` keeps every statement it refused, even when the code inside caught the
    exception, so a test can still fail on it (the pytest fixture does).
    """

    def __init__(self, label: str | None = None) -> None:
        self.label = label
        self.violations: list[QueriesForbidden] = []
        self._blocks: list[AbstractContextManager[None]] = []

    def check(self, sql: str, alias: str) -> None:
        """Refuse the statement: raise ``QueriesForbidden`` (and remember it)."""
        error = QueriesForbidden(sql=sql, alias=alias, call_site=find_call_site(), label=self.label)
        self.violations.append(error)
        raise error

    def __enter__(self) -> Self:
        block = gated(self)
        block.__enter__()
        self._blocks.append(block)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._blocks.pop().__exit__(exc_type, exc, traceback)

    def __call__[**P, R](self, func: Callable[P, R]) -> Callable[P, R]:
        """Return ``func`` running each call in a new zone with this label."""
        return run_inside(func, lambda: QueryZone(self.label), decorator="no_queries")

    @override
    def __repr__(self) -> str:
        return f"<QueryZone label={self.label!r} violations={len(self.violations)}>"


@overload
def no_queries[**P, R](func: Callable[P, R], /) -> Callable[P, R]: ...
@overload
def no_queries(*, label: str | None = None) -> QueryZone: ...
def no_queries(func: Callable[..., Any] | None = None, /, *, label: str | None = None) -> Any:
    """Return a no-query zone (``with no_queries(): ...``), or decorate ``func`` with one.

    ``label`` names the zone in error messages. Raises ``QueriesForbidden`` on any statement.
    """
    if func is not None:
        return QueryZone(label)(func)
    return QueryZone(label)


@contextmanager
def allow_queries(*, reason: str) -> Iterator[None]:
    """Lift any no-query zone for the block; ``reason`` says why (grep for ``allow_queries``).

    Raises ValueError when ``reason`` is blank. Recorders and budgets still see the statements.
    """
    if not reason.strip():
        raise ValueError(REASON_REQUIRED)
    with gated(None):
        yield
