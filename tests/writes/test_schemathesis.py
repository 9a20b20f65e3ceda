"""Schemathesis against the API's own OpenAPI document (``/api/openapi.json``).

It generates requests for every operation from the schema (valid ones and, by mutation,
invalid ones) and calls the app in-process through WSGI, authenticated with an API token of
a user with the book permissions and a customer. Every answer must be below 500, and a
refused write must change nothing.

So that the writes are fuzzed and not only their validation: ISBNs (OpenAPI format
``isbn13``) come from a strategy of valid ISBN-13s, and 3 in 4 generated ``author_id`` and
``book_id`` are pointed at rows that exist (the others stay as generated). Each of
``POST /api/books`` and ``PUT /api/books/{book_id}`` must then reach its repository write
function (``create_book``, ``replace_book``: counted by wrapping them) at least once: before
the ISBN strategy, every generated ISBN failed its checksum and no create or replace ever got
past validation. (Whether a reached write also succeeds depends on the generated ids; it
mostly does, but that is not asserted.)
"""

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.generation.case import Case

from bookstore.seeding.generator import isbn13
from dtos.writes import ISBN13_FORMAT
from repos import book_writes
from tests.writes.factories import make_book, make_customer, make_user, snapshot, token_auth

VALID_ISBNS = st.integers(min_value=0, max_value=999_999_999).map(isbn13)
schemathesis.openapi.format(ISBN13_FORMAT, VALID_ISBNS)

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
MUST_REACH = {"POST /api/books": "create_book", "PUT /api/books/{book_id}": "replace_book"}


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Keep WSGI requests on the test's connection (as Django's test client does).

    A WSGI request closes "obsolete" connections when it starts and ends; inside the test's
    transaction that would close the connection the test runs on.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_user(
    db: None, in_test_transaction: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, Any]]:
    """Set up the rows and the token once per operation; afterwards, check the writes ran.

    Hypothesis runs all the examples of one operation inside one call of the test, so this
    fixture's teardown sees every request that operation sent.
    """
    user = make_user(perms=("bookstore.add_book", "bookstore.change_book"), username="fuzz")
    book = make_book(stock=5)
    make_customer(user=user)
    calls: Counter[str] = Counter()
    for name in MUST_REACH.values():
        monkeypatch.setattr(book_writes, name, counted(calls, name, getattr(book_writes, name)))
    seen: set[str] = set()
    yield {"headers": token_auth(user), "author": book.author_id, "book": book.pk, "seen": seen}
    for label in MUST_REACH.keys() & seen:
        assert calls[MUST_REACH[label]] >= 1, f"{label}: no generated request reached the write"


def counted(calls: Counter[str], name: str, write: Callable[..., Any]) -> Callable[..., Any]:
    """Return ``write``, counting its calls in ``calls[name]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return write(*args, **kwargs)

    return wrapper


def _redirected(value: object) -> bool:
    """Whether a generated id is pointed at an existing row: 3 in 4, by the id's value."""
    return isinstance(value, int) and not isinstance(value, bool) and value % 4 != 0


def point_at_existing_rows(case: Case[Any], rows: dict[str, Any]) -> None:
    """Point 3 in 4 generated author, publisher and book ids at rows that exist."""
    body = case.body
    if isinstance(body, dict):
        if _redirected(body.get("author_id")):
            body["author_id"] = rows["author"]
        if _redirected(body.get("publisher_id")):
            body["publisher_id"] = None  # the fixture makes no publisher: "none" exists
    parameters = case.path_parameters or {}
    if _redirected(parameters.get("book_id")):
        parameters["book_id"] = rows["book"]


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_refusals_write_nothing(
    case: Case[Any], api_user: dict[str, Any]
) -> None:
    label = f"{case.operation.method.upper()} {case.operation.path}"
    api_user["seen"].add(label)
    point_at_existing_rows(case, api_user)
    before = snapshot()
    response = case.call(headers=api_user["headers"])
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        assert snapshot() == before
