"""Per-connection session settings that a URL's options cannot carry: MariaDB's statement limit.

PostgreSQL gets ``DATABASE_STATEMENT_TIMEOUT`` as a server option of the connection
(``bookstore/env.py``). MariaDB's equivalent is the session variable ``max_statement_time``
(seconds); it cannot go into ``init_command``, because MySQL has no such variable and would
refuse every connection. So on each new connection (Django's ``connection_created``) a MariaDB
server gets ``SET SESSION max_statement_time = <seconds>``, run on the driver's own cursor: it
is connection setup, not a query of the request, and never reaches Django's execute wrappers,
so query budgets, recorders and ``assertNumQueries`` do not count it. A statement cut off by it
fails with MariaDB's error 1969, answered as a 503 (``bookstore/error_responses.py``).

MySQL's nearest setting, ``max_execution_time``, limits only ``SELECT`` and is not set here.
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from bookstore.env import STATEMENT_TIMEOUT_KEY

__all__ = ["is_mariadb", "set_session_limits"]


def is_mariadb(connection: BaseDatabaseWrapper) -> bool:
    """Return True if ``connection`` is Django's MySQL backend talking to a MariaDB server."""
    return connection.vendor == "mysql" and bool(getattr(connection, "mysql_is_mariadb", False))


def set_session_limits(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Set ``max_statement_time`` on a new MariaDB connection whose settings ask for one."""
    seconds = connection.settings_dict.get(STATEMENT_TIMEOUT_KEY) or 0
    if connection.vendor != "mysql" or seconds <= 0:
        return
    raw = connection.connection
    if "MariaDB" not in raw.get_server_info():  # MySQL: no max_statement_time
        return
    with raw.cursor() as cursor:
        cursor.execute("SET SESSION max_statement_time = %s", (int(seconds),))
