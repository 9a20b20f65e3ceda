"""Schemathesis against the API's own OpenAPI document (``/api/openapi.json``).

It generates requests for every operation from the schema (valid ones and, by mutation,
invalid ones) and calls the app in-process through WSGI, authenticated as a user with the
book permissions. Every answer must be below 500, and a refused write must change nothing.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.generation.case import Case

from tests.writes.factories import make_book, make_customer, make_user, snapshot, token_auth

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


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
def api_user(db: None, in_test_transaction: None) -> dict[str, str]:
    user = make_user(perms=("bookstore.add_book", "bookstore.change_book"), username="schemathesis")
    make_book(stock=5)
    make_customer(user=user)
    return token_auth(user)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_refusals_write_nothing(
    case: Case[Any], api_user: dict[str, str]
) -> None:
    before = snapshot()
    response = case.call(headers=api_user)
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        assert snapshot() == before
