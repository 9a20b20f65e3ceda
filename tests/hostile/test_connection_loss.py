"""A database connection lost anywhere in a request is a 503 with ``Retry-After``, never a 500.

PostgreSQL only: another connection terminates the request's backend
(``pg_terminate_backend``) right before a chosen statement runs, in the view, in ninja's
authentication step, or in the session lookup a middleware makes before any view. The next
request then works on a new connection. Orders killed mid-transaction are in
``tests/writes/test_faults.py``.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

from bookstore.error_responses import DATABASE_UNAVAILABLE, connection_lost
from tests.bookstore.data import seed
from tests.writes.factories import make_buyer, token_auth

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's; SQLite has no server connection")
    yield
    next_request()  # a test that failed half-way leaves the flush a usable connection


def next_request() -> None:
    """Do what a server does between requests and the test client does not.

    Django closes a connection that saw an error, or fails its health check, when a request
    ends or starts (``close_old_connections`` on ``request_started``/``request_finished``);
    the test client leaves those signals out.
    """
    close_old_connections()


def terminate(pid: int) -> bool:
    """Terminate backend ``pid`` from a new connection (in a thread: a connection of its own)."""
    done: list[bool] = []

    def run() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                done.append(bool(cursor.fetchone()[0]))
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return done == [True]


@contextmanager
def killed_before(fragment: str) -> Iterator[list[str]]:
    """Terminate this connection's backend before the first statement containing ``fragment``.

    Yields the list of statements it was killed before (one, once it happened).
    """
    killed: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        if not killed and fragment in sql:
            assert terminate(connection.connection.info.backend_pid)
            killed.append(sql)
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(wrapper):
        yield killed


def assert_503(response: Any, killed: list[str]) -> None:
    assert len(killed) == 1, "the backend was not terminated"
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "1"


def test_lost_in_an_async_api_read() -> None:
    seed(3)
    client = Client(raise_request_exception=False)
    with killed_before('FROM "bookstore_book"') as killed:
        response = client.get("/api/books")
    assert_503(response, killed)
    assert response.json() == {"detail": DATABASE_UNAVAILABLE}
    next_request()
    assert client.get("/api/books").status_code == 200


def test_lost_in_ninjas_authentication_step() -> None:
    user, _ = make_buyer(username="lost-auth")
    client = Client(headers=token_auth(user), raise_request_exception=False)
    with killed_before('"bookstore_apitoken"."digest"') as killed:
        response = client.get("/api/orders")
    assert_503(response, killed)
    assert response.json() == {"detail": DATABASE_UNAVAILABLE}
    next_request()
    assert client.get("/api/orders").status_code == 200


def test_lost_in_a_page_view() -> None:
    seed(3)
    client = Client(raise_request_exception=False)
    with killed_before('FROM "bookstore_book"') as killed:
        response = client.get("/books/")
    assert_503(response, killed)
    assert DATABASE_UNAVAILABLE in response.content.decode()
    next_request()
    assert client.get("/books/").status_code == 200


def test_lost_in_the_session_lookup_before_any_view() -> None:
    user, _ = make_buyer(username="lost-session")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with killed_before('FROM "django_session"') as killed:
        response = client.get("/books/")
    assert_503(response, killed)
    assert DATABASE_UNAVAILABLE in response.content.decode()
    next_request()
    assert client.get("/books/").status_code == 200


def test_only_connection_errors_count_as_lost() -> None:
    from django.db import InterfaceError, OperationalError

    assert connection_lost(InterfaceError("connection already closed"))
    assert not connection_lost(OperationalError("disk I/O error"))  # SQLite's: no psycopg cause
    assert not connection_lost(ValueError("nothing to do with a database"))
