"""Lift the statement time limit for a migration's backfill (used by migrations only).

Migrations 0003 and 0006 backfill stored columns from whole tables. A statement limit meant
for requests (``DATABASE_STATEMENT_TIMEOUT``: PostgreSQL's ``statement_timeout``, MariaDB's
``max_statement_time``, set on each connection by ``bookstore/env.py`` and
``bookstore/db_session.py``) would cut a large backfill off; on MariaDB, whose DDL commits at
once, that leaves a migration half applied. This module lives with the migrations, apart from
the application code, so the migrations do not change when that code does (Django's migration
loader skips modules whose name starts with an underscore).
"""

from contextlib import contextmanager


@contextmanager
def no_statement_limit(connection):
    """Run the block with no statement time limit on ``connection``.

    PostgreSQL: ``SET LOCAL statement_timeout = 0``, which lasts until the transaction ends
    (enter it inside one). MariaDB: ``max_statement_time = 0`` for the block, then the
    session's previous value again. SQLite has no such limit, and on MySQL the project sets
    none (``max_execution_time`` limits only ``SELECT``): nothing to do there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
        yield
        return
    if connection.vendor != "mysql" or not connection.mysql_is_mariadb:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@SESSION.max_statement_time")
        (previous,) = cursor.fetchone()
        cursor.execute("SET SESSION max_statement_time = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION max_statement_time = %s", [previous])
