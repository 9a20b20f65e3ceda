"""The one execute wrapper behind every tool of this package, and the context it consults.

Django runs each statement through the ``execute_wrappers`` of its connection. This module puts a
single wrapper, ``observe_execute``, on every connection: on each connection object when it
connects (the ``connection_created`` signal) and on those already connected when it is first
installed. The wrapper reads one ``ContextVar`` holding what is active *in the current context*:
observers (recorders, budgets, the shell's printer) and a no-query zone. When nothing is active
that is ``None``, so the cost of an idle wrapper is one ``ContextVar.get()`` per statement.

Scope: a ``ContextVar`` follows the code that sets it, not the process. What is active covers the
block itself, asyncio tasks it creates, and ``asgiref``'s ``sync_to_async``/``async_to_sync`` and
``asyncio.to_thread`` (they copy the context). A plain ``threading.Thread`` or a
``ThreadPoolExecutor`` worker starts with an empty context (Python 3.13) and is not covered, unless
its target is wrapped with ``carry_context``. That keeps concurrent requests of a threaded server
apart: one request's recorder or zone never sees another request's queries.

The wrapper is inserted first in ``execute_wrappers`` (the outermost), so that the
push/pop discipline of ``connection.execute_wrapper()`` used by other code keeps working when our
wrapper arrives while theirs is pushed.
"""

import contextvars
import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from fetchplan.observe.callsite import UNKNOWN, CallSite, find_call_site
from fetchplan.observe.setup import caller_frame, is_connection_setup


@dataclass(frozen=True, slots=True)
class QueryRecord:
    """One executed statement: SQL, parameters, alias, duration in seconds and call site."""

    sql: str
    params: Any
    many: bool
    alias: str
    duration: float
    call_site: CallSite


class Observer(Protocol):
    """Something told about every statement that runs in its context."""

    @property
    def wants_call_site(self) -> bool:
        """Return True when records need their call site (finding it walks the stack)."""
        ...

    def add(self, record: QueryRecord) -> None:
        """Take one finished statement."""
        ...


class Gate(Protocol):
    """A no-query zone: decides, before a statement runs, whether it may run."""

    def check(self, sql: str, alias: str) -> None:
        """Raise when the statement must not run."""
        ...


@dataclass(frozen=True, slots=True)
class _Active:
    """What is active in one context; immutable, replaced whole on every change."""

    observers: tuple[Observer, ...] = ()
    gate: Gate | None = None
    call_sites: bool = False


_ACTIVE: contextvars.ContextVar[_Active | None] = contextvars.ContextVar(
    "fetchplan_observe_active", default=None
)


def observe_execute(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Run one statement, after the active zone allowed it, timing it for the active observers.

    The backend's own connection-setup statements (``setup``) pass unseen by zones and observers.
    Returns what the inner ``execute`` returns; raises what the active gate raises.
    """
    active = _ACTIVE.get()
    if active is None:
        return execute(sql, params, many, context)
    connection = context["connection"]
    if is_connection_setup(connection, caller_frame()):
        return execute(sql, params, many, context)  # the backend's own, not the code's
    alias: str = connection.alias
    if active.gate is not None:
        active.gate.check(sql, alias)
    if not active.observers:
        return execute(sql, params, many, context)
    call_site = find_call_site() if active.call_sites else UNKNOWN
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        record = QueryRecord(sql, params, many, alias, time.perf_counter() - started, call_site)
        for observer in active.observers:
            observer.add(record)


# -- installing the wrapper -------------------------------------------------------------------


def install_on(connection: BaseDatabaseWrapper) -> None:
    """Put ``observe_execute`` first on ``connection`` unless it is there already."""
    wrappers = connection.execute_wrappers
    if observe_execute not in wrappers:
        wrappers.insert(0, observe_execute)


def _on_connection_created(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    install_on(connection)


_signal_connected = False


def ensure_installed() -> None:
    """Install the wrapper on connections as they connect, and on this thread's open ones.

    Idempotent; the ``fetchplan`` app runs it at startup, and every tool runs it again when it
    starts, so the tools also work in projects without the app. Importing this module touches
    no setting (pytest imports the plugin before Django is configured).
    """
    global _signal_connected
    if not _signal_connected:  # connect() clears the signal's cache each time: once is enough
        connection_created.connect(
            _on_connection_created, weak=False, dispatch_uid="fetchplan.observe.install"
        )
        _signal_connected = True
    for connection in connections.all(initialized_only=True):
        install_on(connection)


# -- changing what is active ------------------------------------------------------------------


@contextmanager
def observing(observer: Observer) -> Iterator[None]:
    """Add ``observer`` to the current context for the duration of the block."""
    ensure_installed()
    active = _ACTIVE.get() or _Active()
    token = _ACTIVE.set(
        replace(
            active,
            observers=(*active.observers, observer),
            call_sites=active.call_sites or observer.wants_call_site,
        )
    )
    try:
        yield
    finally:
        _ACTIVE.reset(token)


@contextmanager
def gated(gate: Gate | None) -> Iterator[None]:
    """Make ``gate`` the current context's zone (``None`` lifts any zone) for the block."""
    ensure_installed()
    active = _ACTIVE.get() or _Active()
    token = _ACTIVE.set(replace(active, gate=gate))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def carry_context[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Return ``func`` bound to a copy of the current context, for a thread's target.

    Recorders, budgets and no-query zones active now then cover the thread too::

        with no_queries():
            threading.Thread(target=carry_context(work)).start()
    """
    context = contextvars.copy_context()

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        # A fresh copy per call: one Context cannot be entered by two threads at once.
        return context.copy().run(func, *args, **kwargs)

    return run
