"""The migrations' backfills run with no statement time limit (migrations/_statement_limit.py).

A limit set for requests (DATABASE_STATEMENT_TIMEOUT) would otherwise cut a backfill of a large
table off, and on MariaDB leave the migration half applied.
"""

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction

from bookstore.db_session import is_mariadb
from bookstore.migrations._statement_limit import no_statement_limit
from tests.bookstore.data import seed
from tests.migrating import schema_editor

pytestmark = pytest.mark.django_db

BACKFILLS = {
    "0003_book_ratings": "fill_ratings",
    "0006_tag_book_count": "fill_book_counts",
}


def limit() -> str:
    """Return this session's statement time limit as the database reports it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW statement_timeout")
        else:
            cursor.execute("SELECT @@SESSION.max_statement_time")
        return str(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_postgresql_lifts_the_timeout_for_the_transaction() -> None:
    configured = limit()  # the test settings' own timeout, put back at the end
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '7s'")
    try:
        with transaction.atomic():
            assert limit() == "7s"
            with no_statement_limit(connection):
                assert limit() == "0"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [configured])


@pytest.mark.skipif(connection.vendor != "mysql", reason="max_statement_time is MariaDB's")
def test_mariadb_lifts_max_statement_time_then_puts_it_back() -> None:
    if not is_mariadb(connection):
        pytest.skip("max_statement_time is MariaDB's; MySQL has no statement limit here")
    configured = float(limit())  # the test settings' own limit, put back at the end
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION max_statement_time = 7")
    try:
        with no_statement_limit(connection):
            assert float(limit()) == 0
        assert float(limit()) == 7
        with pytest.raises(ZeroDivisionError), no_statement_limit(connection):
            1 / 0  # noqa: B018 (an error inside the block)
        assert float(limit()) == 7
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION max_statement_time = %s", [configured])


@pytest.mark.parametrize(("module", "function"), BACKFILLS.items())
def test_every_backfill_statement_runs_inside_the_lifted_limit(
    module: str, function: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each backfill's queries all run while no_statement_limit is entered (any database)."""
    seed(30)
    migration = importlib.import_module(f"bookstore.migrations.{module}")
    entered = []

    @contextmanager
    def spy(conn: Any) -> Iterator[None]:
        assert conn is connection
        entered.append(True)
        try:
            yield
        finally:
            entered.pop()

    monkeypatch.setattr(migration, "no_statement_limit", spy)
    ran: list[str] = []
    outside: list[str] = []

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        ran.append(sql)
        if not entered:
            outside.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        getattr(migration, function)(apps, schema_editor())
    assert ran  # the backfill did run its queries
    assert outside == []
