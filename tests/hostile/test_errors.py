"""Errors as a client can use them: JSON under /api/ (finding 9), 503 for a busy or slow
database with Retry-After (findings 7 and 8), and PostgreSQL's statement timeout."""

import json
from collections.abc import Callable

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.test import Client

from bookstore import api, views
from bookstore.db_session import is_mariadb
from bookstore.error_responses import (
    BODY_TOO_LARGE,
    DATABASE_BUSY,
    DATABASE_TOO_SLOW,
    INTERNAL_ERROR,
    database_refusal,
)
from bookstore.seeding.generator import statement_timeout_lifted
from tests.bookstore.data import seed
from tests.writes.factories import make_user

pytestmark = pytest.mark.django_db


def detail(response: object) -> str:
    content = getattr(response, "content", b"")
    assert response["Content-Type"].startswith("application/json")  # type: ignore[index]
    value = json.loads(content)["detail"]
    assert isinstance(value, str)
    return value


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/no/such/thing", 404),
        ("get", "/api/", 404),
        ("delete", "/api/books/1", 405),
        ("put", "/api/authors", 405),
    ],
)
def test_framework_errors_under_api_are_json(method: str, url: str, status: int) -> None:
    response = getattr(Client(), method)(url)
    assert response.status_code == status
    assert detail(response)
    if status == 405:
        assert "GET" in response["Allow"]


def test_a_20_mb_body_is_a_json_413() -> None:
    client = Client()
    client.force_login(_user())
    body = b'{"lines": [' + b" " * (20 * 1024 * 1024) + b"]}"
    response = client.post("/api/orders", body, content_type="application/json")
    assert (response.status_code, detail(response)) == (413, BODY_TOO_LARGE)


def test_a_bug_under_api_is_a_json_500_that_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(api, "alist_books", _raise(RuntimeError("boom")))
    response = Client(raise_request_exception=False).get("/api/books")
    assert (response.status_code, detail(response)) == (500, INTERNAL_ERROR)
    assert "boom" not in response.content.decode()  # the traceback is logged, not shown
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)


def _raise(error: Exception) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise error

    return fail


def _user() -> User:
    return make_user(username="errors")


@pytest.mark.parametrize("message", ["database is locked", "database table is locked"])
def test_a_locked_database_is_a_503_with_retry_after(
    monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    locked = _raise(OperationalError(message))
    monkeypatch.setattr(api, "alist_books", locked)
    monkeypatch.setattr(views, "list_books", locked)
    response = Client().get("/api/books")
    assert (response.status_code, detail(response)) == (503, DATABASE_BUSY)
    assert response["Retry-After"] == "1"
    page = Client().get("/books/")
    assert (page.status_code, page["Retry-After"]) == (503, "1")
    assert DATABASE_BUSY in page.content.decode()


def test_another_operational_error_is_not_called_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "alist_books", _raise(OperationalError("disk I/O error")))
    response = Client(raise_request_exception=False).get("/api/books")
    assert (response.status_code, detail(response)) == (500, INTERNAL_ERROR)


def test_the_site_connections_have_a_statement_timeout() -> None:
    """The connection runs with DATABASE_STATEMENT_TIMEOUT (60 s in tests/settings.py; the
    production default, 5 s, is tests/bookstore/test_env.py's): PostgreSQL's
    ``statement_timeout``, MariaDB's ``max_statement_time`` (bookstore/db_session.py)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
            assert cursor.fetchone() == ("60000",)
        elif is_mariadb(connection):
            cursor.execute("SELECT @@SESSION.max_statement_time")
            assert cursor.fetchone() == (60.0,)
        else:
            pytest.skip("a statement timeout is PostgreSQL's and MariaDB's")


def test_mariadb_sets_its_limit_outside_the_counted_queries() -> None:
    """A new MariaDB connection sets max_statement_time on the driver's cursor, so no query
    Django sees (budgets, recorders, assertNumQueries) is that SET."""
    if not is_mariadb(connection):
        pytest.skip("max_statement_time is MariaDB's")
    fresh = connections.create_connection(DEFAULT_DB_ALIAS)
    fresh.force_debug_cursor = True  # log every statement run through Django's cursors
    try:
        fresh.ensure_connection()
        logged = [query["sql"] for query in fresh.queries]
        with fresh.cursor() as cursor:
            cursor.execute("SELECT @@SESSION.max_statement_time")
            assert cursor.fetchone() == (60.0,)
    finally:
        fresh.close()
    assert logged != []  # Django's own setup statements are logged...
    assert [sql for sql in logged if "max_statement" in sql] == []  # ...the limit is not


def test_seeding_lifts_the_limit_of_its_connection_and_puts_it_back() -> None:
    """``manage.py seed`` runs for minutes: statement_timeout_lifted turns the limit off, and
    puts it back after (on MariaDB a SET outlives the test's rollback, so a limit left at 0
    would leak into every later test on the connection)."""
    if connection.vendor != "postgresql" and not is_mariadb(connection):
        pytest.skip("a statement timeout is PostgreSQL's and MariaDB's")
    mariadb = is_mariadb(connection)
    read = "SELECT @@SESSION.max_statement_time" if mariadb else "SHOW statement_timeout"

    def limit() -> str:
        with connection.cursor() as cursor:
            cursor.execute(read)
            return str(cursor.fetchone()[0])

    before = limit()
    assert before not in {"0", "0.0"}
    with statement_timeout_lifted():
        assert limit() in {"0", "0.0"}
    assert limit() == before


def test_a_statement_past_the_timeout_is_a_503(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql" and not is_mariadb(connection):
        pytest.skip("a statement timeout is PostgreSQL's and MariaDB's")
    seed(3)

    def slow(**kwargs: object) -> object:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL statement_timeout = '50ms'")  # the 5 s, made quick
                cursor.execute("SELECT pg_sleep(2)")
            else:  # the site's limit, made quick for this statement only
                cursor.execute("SET STATEMENT max_statement_time = 0.05 FOR SELECT SLEEP(2)")
        raise AssertionError("the statement was not stopped")

    monkeypatch.setattr(api, "alist_books", sync_to_async(slow))
    response = Client().get("/api/books")
    assert (response.status_code, detail(response)) == (503, DATABASE_TOO_SLOW)
    assert response["Retry-After"] == "1"


def test_only_mariadbs_timeout_code_is_called_too_slow() -> None:
    """Error 1969 is max_statement_time; 1317 (a query killed by hand) is not a timeout."""
    mysqldb = pytest.importorskip("MySQLdb")

    def django_error(code: int, message: str) -> OperationalError:
        error = OperationalError(code, message)
        error.__cause__ = mysqldb.OperationalError(code, message)
        return error

    timed_out = "Query execution was interrupted (max_statement_time exceeded)"
    assert database_refusal(django_error(1969, timed_out)) == DATABASE_TOO_SLOW
    assert database_refusal(django_error(1317, "Query execution was interrupted")) is None
    assert database_refusal(OperationalError(1969, timed_out)) is None  # not from mysqlclient
