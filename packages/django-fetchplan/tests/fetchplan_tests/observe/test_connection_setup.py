"""A backend's own connection-setup statements are not the observed code's queries.

Django's MySQL/MariaDB backend runs statements through Django's cursor on a fresh connection
(its version and sql_mode, ``SET SESSION TRANSACTION ISOLATION LEVEL``); counted, they put a
budgeted function over budget whenever it opens the connection. The ``chatty`` database's
backend does the same on SQLite, so every test run checks the rule; the tests on ``default``
open a fresh connection of the backend the suite runs on (SQLite's in-memory test database
ignores ``close()``, so there they reuse it).
"""

import threading
from typing import Any, cast, override

import pytest
from django.db import connections, transaction
from django.db.backends.utils import CursorDebugWrapper
from fetchplan.observe import no_queries, record_queries
from fetchplan.observe.budget import query_budget
from fetchplan.observe.hook import carry_context

from fetchplan_tests.testapp.chatty_sqlite.base import DatabaseWrapper as ChattyWrapper
from fetchplan_tests.testapp.models import Writer

BOTH = ["default", "chatty"]


def chatty() -> ChattyWrapper:
    return cast(ChattyWrapper, connections["chatty"])


def select_one(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    return int(row[0])


@query_budget(1)
def one_query_on_chatty() -> int:
    """One statement of its own, on a connection that may have to be opened first."""
    return select_one("chatty")


@query_budget(1)
def count_writers() -> int:
    return Writer.objects.count()


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_chatty_backend_does_run_statements_while_connecting() -> None:
    """The premise: without the setup rule these would be counted (they go through the cursor)."""
    seen: list[str] = []

    def spy(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append(sql)
        return execute(sql, params, many, context)

    chatty().close()
    with chatty().execute_wrapper(spy):
        chatty().ensure_connection()
        assert chatty().server_version_text
    assert seen == ["SELECT 1", "SELECT sqlite_version()"]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_fresh_connection_inside_a_budget_stays_within_it() -> None:
    select_one("chatty")  # connected once: the execute wrapper is on the connection object
    chatty().close()
    assert one_query_on_chatty() == 1
    assert chatty().connection is not None  # it did connect inside the budget


class ToolbarCursor(CursorDebugWrapper):
    """A cursor wrapper from outside the backend, as django-debug-toolbar installs one."""

    @override
    def execute(self, sql: Any, params: Any = None) -> Any:
        return self._record(super().execute, sql, params)

    def _record(self, method: Any, sql: str, params: Any) -> Any:
        return method(sql, params)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_setup_is_found_through_a_foreign_cursor_wrapper(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With DEBUG and the toolbar, its cursor class stands between the setup and the wrapper."""
    select_one("chatty")
    chatty().close()
    chatty().__dict__.pop("server_version_text", None)
    monkeypatch.setattr(chatty(), "make_cursor", lambda cursor: ToolbarCursor(cursor, chatty()))
    with record_queries() as recorded:
        chatty().ensure_connection()
        assert chatty().server_version_text
        assert one_query_on_chatty() == 1
    assert recorded.sql == ["SELECT 1"]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_lazily_computed_server_fact_is_not_counted() -> None:
    select_one("chatty")
    chatty().__dict__.pop("server_version_text", None)
    with record_queries() as recorded:
        assert chatty().server_version_text
        select_one("chatty")
    assert recorded.sql == ["SELECT 1"]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_setup_passes_a_no_query_zone_but_the_query_does_not() -> None:
    select_one("chatty")
    chatty().close()
    chatty().__dict__.pop("server_version_text", None)
    with no_queries():
        chatty().ensure_connection()
        assert chatty().server_version_text


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_savepoints_of_the_observed_code_still_count() -> None:
    """Statements the backend runs for the caller (here a savepoint) are not setup."""
    outer, inner = transaction.atomic(using="chatty"), transaction.atomic(using="chatty")
    with record_queries() as recorded, outer, inner:
        select_one("chatty")
    words = [sql.split()[0] for sql in recorded.sql]  # SQLite's BEGIN is there too
    assert [word for word in words if word != "BEGIN"] == ["SAVEPOINT", "SELECT", "RELEASE"]


@pytest.mark.django_db(transaction=True)
def test_a_fresh_connection_of_this_suites_backend_stays_within_budget() -> None:
    connections["default"].close()
    assert count_writers() == 0


@pytest.mark.django_db(transaction=True)
def test_a_new_threads_connection_stays_within_budget() -> None:
    """A thread has its own connection object, whose server facts are computed afresh."""
    results: list[int] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            results.append(count_writers())
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=carry_context(work))
    thread.start()
    thread.join()
    assert failures == []
    assert results == [0]
