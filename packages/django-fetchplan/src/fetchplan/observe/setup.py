"""Tell a backend's own connection-setup statements apart from the statements of observed code.

Opening a connection, some backends run statements of their own through Django's cursor, so they
reach the execute wrappers like any query. Django's MySQL/MariaDB backend, for example, runs
``SELECT VERSION(), @@sql_mode, ...`` (a cached property of the connection, computed when first
needed, possibly long after connecting), ``SELECT @@SQL_AUTO_IS_NULL`` and ``SET SESSION
TRANSACTION ISOLATION LEVEL ...``. They are not the observed code's queries: counting them would
put a repository function over its budget only when it happens to open a fresh connection (each
request, with ``CONN_MAX_AGE = 0``), and a test that reuses one connection would never see it.

A statement is setup when the code that issued it, followed up the stack through backend code
only, is

- Django's ``connect()`` (or a backend's ``init_connection_state``/``get_new_connection``, or its
  database version check), or
- the computation of a ``cached_property`` of the backend's wrapper, features, operations,
  introspection or client: a fact about the server asked once per connection object.

"Backend code" is Django's ``django/db/backends/`` and the package of the connection's own
backend (so third-party backends are covered too). The walk stops at the first frame outside it
(the ORM's compiler, a transaction, the caller's code), usually after three or four frames, so
savepoints and every query the ORM or the caller runs still count.
"""

import inspect
import os
import sys
from types import FrameType

import django.db.backends
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.functional import cached_property

_DJANGO_BACKENDS = os.path.dirname(django.db.backends.__file__) + os.sep
_CACHED_PROPERTY_GET = cached_property.__get__.__code__
# Functions of a backend that run only while a connection is being opened or checked.
SETUP_FUNCTIONS = frozenset(
    {
        "connect",
        "get_new_connection",
        "init_connection_state",
        "check_database_version_supported",
        "get_database_version",
    }
)


_backend_code_of: dict[type[BaseDatabaseWrapper], tuple[str, ...]] = {}


def _backend_code(wrapper_class: type[BaseDatabaseWrapper]) -> tuple[str, ...]:
    """Return the path prefixes of the code that belongs to ``wrapper_class``'s backend."""
    found = _backend_code_of.get(wrapper_class)
    if found is None:
        own = os.path.dirname(inspect.getfile(wrapper_class)) + os.sep
        found = _backend_code_of[wrapper_class] = (_DJANGO_BACKENDS, own)
    return found


def is_connection_setup(connection: BaseDatabaseWrapper, frame: FrameType | None) -> bool:
    """Return True when the statement issued below ``frame`` is ``connection``'s own setup.

    ``frame`` is the caller of the execute wrapper (Django's cursor wrapper).
    """
    backend = _backend_code(type(connection))
    while frame is not None:
        code = frame.f_code
        if code is _CACHED_PROPERTY_GET:
            return _is_backend_part(frame.f_locals.get("instance"))
        if not code.co_filename.startswith(backend):
            return False
        if code.co_name in SETUP_FUNCTIONS:
            return True
        frame = frame.f_back
    return False


def _is_backend_part(instance: object) -> bool:
    """Return True for a connection wrapper or one of its parts (features, ops, ...).

    The parts are recognised by their ``connection`` attribute rather than by their base
    classes: importing ``django.db.backends.base.operations`` before ``django.db.models``
    (this module loads with the pytest plugin, before Django is set up) is a circular import
    on Django 5.2.
    """
    if isinstance(instance, BaseDatabaseWrapper):
        return True
    return isinstance(getattr(instance, "connection", None), BaseDatabaseWrapper)


def caller_frame() -> FrameType:
    """Return the frame of the caller of the function that calls this."""
    return sys._getframe(2)
