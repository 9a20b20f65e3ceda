"""Read replicas, opt in: plan reads on a replica, writes on the primary, read-your-writes.

Settings::

    DATABASES = {"default": {...}, "replica": {..., "TEST": {"MIRROR": "default"}}}
    FETCHPLAN_READ_REPLICAS = ["replica"]           # aliases in DATABASES; empty: off
    DATABASE_ROUTERS = ["fetchplan.routing.ReplicaRouter"]
    MIDDLEWARE = ["fetchplan.routing.ReadYourWritesMiddleware", ...]

Where each statement goes:

- A plan read (``fetch_all`` ... ``stream``, ``count``, ``exists`` and their async twins) of a
  queryset with no database chosen (no ``using=``, no ``.using()``) runs on a replica (one
  picked at random per read), unless the current scope is pinned to the primary.
- Every write through the ORM goes to the primary (the router) and pins the current scope.
  The scope is the request (``ReadYourWritesMiddleware`` opens one per request); outside a
  request it is the current context (thread or task), pinned from its first write on.
- ``with primary():`` sends the plan reads of the block to the primary, and
  ``@on_primary`` does it for each call of a (sync or async) function, such as a repository
  function that must see the latest data. A read inside a transaction on the primary stays on
  the primary too.
- Every other read (``Model.objects.get()``, sessions, authentication) goes where Django's
  routing sends it: the primary, with this router.

Read-your-writes holds within a scope, not across requests: a request that follows a write
may read a replica that has not replayed it yet (replication lag). A replica that cannot be
connected to is skipped for ``REPLICA_RETRY_SECONDS`` (the read goes to the primary, with a
warning on the ``fetchplan.routing`` logger); no replica configured, or an alias missing from
``DATABASES``, means one database and no error.
"""

import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from inspect import iscoroutinefunction
from typing import Any, cast

from asgiref.sync import markcoroutinefunction
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

from fetchplan.observe.wrapping import run_inside

logger = logging.getLogger("fetchplan.routing")

REPLICA_RETRY_SECONDS = 5.0
REPLICA_DOWN = "Replica %r is unreachable (%s); plan reads go to the primary for %.0f s."


@dataclass
class _Scope:
    """A request (or context) that wrote: its later plan reads go to the primary."""

    pinned: bool = False


_SCOPE: ContextVar[_Scope | None] = ContextVar("fetchplan_routing_scope", default=None)
_FORCED: ContextVar[bool] = ContextVar("fetchplan_routing_primary", default=False)
_down_until: dict[str, float] = {}


def primary_alias() -> str:
    """Return the primary's alias: ``FETCHPLAN_PRIMARY_DATABASE``, default ``"default"``."""
    return str(getattr(settings, "FETCHPLAN_PRIMARY_DATABASE", DEFAULT_DB_ALIAS))


def replica_aliases() -> list[str]:
    """Return the configured replicas that exist in ``DATABASES``."""
    configured = getattr(settings, "FETCHPLAN_READ_REPLICAS", ())
    return [alias for alias in configured if alias in settings.DATABASES]


def pin_to_primary() -> None:
    """Send the rest of the current scope's plan reads to the primary (after a write)."""
    scope = _SCOPE.get()
    if scope is None:
        _SCOPE.set(_Scope(pinned=True))
    else:
        scope.pinned = True


def read_alias(model: type[Model]) -> str | None:
    """Return the replica a plan read of ``model`` should use now, or None for Django's own
    routing (also when Django's routers send ``model`` to another database than the primary:
    a project's other databases are left alone)."""
    replicas = replica_aliases()
    if not replicas or _FORCED.get():
        return None
    if router.db_for_read(model) != primary_alias():
        return None
    scope = _SCOPE.get()
    if scope is not None and scope.pinned:
        return None
    if connections[primary_alias()].in_atomic_block:
        return None
    return _reachable(random.choice(replicas))


def _reachable(alias: str) -> str | None:
    if _down_until.get(alias, 0.0) > time.monotonic():
        return None
    connection = connections[alias]
    if connection.connection is not None:
        return alias
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        _down_until[alias] = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(REPLICA_DOWN, alias, error, REPLICA_RETRY_SECONDS)
        return None
    return alias


@contextmanager
def primary() -> Iterator[None]:
    """Send the plan reads of the block (and what it calls) to the primary."""
    token = _FORCED.set(True)
    try:
        yield
    finally:
        _FORCED.reset(token)


def on_primary[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a function (sync or async) so each call reads from the primary."""
    return run_inside(func, primary, decorator="on_primary")


@contextmanager
def write_scope() -> Iterator[None]:
    """Open a new read-your-writes scope for the block (the middleware does it per request)."""
    token = _SCOPE.set(_Scope())
    try:
        yield
    finally:
        _SCOPE.reset(token)


class ReplicaRouter:
    """Writes to the primary (pinning the scope); no replica holds migrations."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        """No opinion: plan reads choose their replica themselves (``read_alias``)."""
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        """Return the primary, and pin the current scope to it.

        A row read from a database that is neither the primary nor a replica (a project's
        other database) is left to Django's other routers: None.
        """
        state = getattr(hints.get("instance"), "_state", None)
        if getattr(state, "db", None) not in {None, primary_alias(), *replica_aliases()}:
            return None
        pin_to_primary()
        return primary_alias()

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """Allow relations between rows of the primary and its replicas (the same data)."""
        same_data = {primary_alias(), *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        """Never migrate a replica: it gets the primary's schema by replication."""
        return False if db in replica_aliases() else None


class ReadYourWritesMiddleware:
    """Give each request its own read-your-writes scope (sync and async)."""

    sync_capable = True
    async_capable = True

    def __init__(
        self,
        get_response: Callable[[HttpRequest], HttpResponseBase]
        | Callable[[HttpRequest], Awaitable[HttpResponseBase]],
    ) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        """Return the response, with the request's plan reads routed in a fresh scope."""
        if self.is_async:
            return self._acall(request)
        with write_scope():
            return cast(Callable[[HttpRequest], HttpResponseBase], self.get_response)(request)

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        get_response = cast(Callable[[HttpRequest], Awaitable[HttpResponseBase]], self.get_response)
        with write_scope():
            return await get_response(request)
