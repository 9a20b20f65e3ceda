"""Tell a backend's own connection-setup statements apart from the statements of observed code.

Opening a connection, some backends run statements of their own through Django's cursor, so they
reach the execute wrappers like any query. Django's MySQL/MariaDB backend, for example, runs
``SELECT VERSION(), @@sql_mode, ...`` (a cached property of the connection, computed when first
needed, possibly long after connecting), ``SELECT @@SQL_AUTO_IS_NULL`` and ``SET SESSION
TRANSACTION ISOLATION LEVEL ...``. They are not the observed code's queries: counting them would
put a repository function over its budget only when it happens to open a fresh connection (each
request, with ``CONN_MAX_AGE = 0``), and a test that reuses one connection would never see it.

A statement is setup when, a few frames up the stack, it was issued by

- a backend's ``connect()``, ``get_new_connection``, ``init_connection_state`` or database
  version check (functions of that name in Django's ``django/db/backends/`` or in the package
  of the connection's own backend, so third-party backends are covered too), or
- the computation of a ``cached_property`` of the backend's wrapper, features, operations,
  introspection or client: a fact about the server asked once per connection object, possibly
  after connecting.

Cursor wrappers between the statement and the execute wrapper (Django's, a debug toolbar's)
are walked over. The walk stops at the ORM (``django/db/models/``: the ORM issued it for the
caller) and after ``MAX_FRAMES`` frames, so savepoints and every query of the ORM or the caller
still count.
"""

import inspect
import os
import sys
from types import FrameType

import django.db.backends
import django.db.models
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


_ORM = os.path.dirname(django.db.models.__file__) + os.sep
# How far up the stack the issuer is looked for: Django's cursor wrappers take 3 or 4 frames,
# a debug toolbar's 2 or 3 more, a backend's setup function and a cached property 2.
MAX_FRAMES = 24


def is_connection_setup(connection: BaseDatabaseWrapper, frame: FrameType | None) -> bool:
    """Return True when the statement issued below ``frame`` is ``connection``'s own setup.

    ``frame`` is the caller of the execute wrapper (Django's cursor wrapper).
    """
    backend = _backend_code(type(connection))
    for _ in range(MAX_FRAMES):
        if frame is None:
            return False
        code = frame.f_code
        if code is _CACHED_PROPERTY_GET:
            if _is_backend_part(frame.f_locals.get("instance")):
                return True
        elif code.co_filename.startswith(_ORM):
            return False  # the ORM issued it for the caller
        elif code.co_name in SETUP_FUNCTIONS and code.co_filename.startswith(backend):
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
