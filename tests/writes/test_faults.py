"""Faults in the middle of an order: a later line out of stock, and (PostgreSQL) the database
connection killed while the order's transaction holds its locks."""

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from bookstore.api_writes import DATABASE_UNAVAILABLE
from bookstore.models import Order, OrderLine, Stock
from tests.writes.factories import make_book, make_buyer, snapshot, token_auth

STOCK = 100


def order_body(customer_id: int, *lines: tuple[int, int]) -> str:
    return json.dumps(
        {"customer_id": customer_id, "lines": [{"book_id": b, "quantity": q} for b, q in lines]}
    )


@pytest.mark.django_db
def test_second_line_out_of_stock_through_the_api_writes_nothing() -> None:
    (user, customer), plenty, scarce = make_buyer(), make_book(stock=10), make_book(stock=0)
    client = Client(headers=token_auth(user))
    before = snapshot()
    response = client.post(
        "/api/orders",
        order_body(customer.pk, (plenty.pk, 3), (scarce.pk, 1)),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert snapshot() == before


def terminate_from_another_connection(pid: int) -> tuple[bool, bool]:
    """From a new connection, check that backend ``pid`` holds a lock on the stock table,
    then terminate it; return (held a lock, terminated)."""
    result: list[tuple[bool, bool]] = []

    def run() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE pid = %s AND granted "
                    "AND relation = 'bookstore_stock'::regclass AND mode = 'RowExclusiveLock'",
                    [pid],
                )
                held = cursor.fetchone()[0] == 1
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                result.append((held, bool(cursor.fetchone()[0])))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result[0]


def kill_before_inserting_lines(outcome: list[tuple[bool, bool]]) -> Callable[..., Any]:
    """Return an execute wrapper that kills its own connection's backend once, right before
    the order lines are inserted: after the order row and the stock decrement."""

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if not outcome and 'INSERT INTO "bookstore_orderline"' in sql:
            pid = connection.connection.info.backend_pid
            outcome.append(terminate_from_another_connection(pid))
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.django_db(transaction=True)
def test_connection_killed_mid_order_leaves_nothing_and_the_retry_succeeds() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's; SQLite has no server to kill")
    (user, customer), book = make_buyer(), make_book(stock=STOCK)
    client = Client(headers={**token_auth(user), "Idempotency-Key": "retry-me"})
    body = order_body(customer.pk, (book.pk, 2))
    outcome: list[tuple[bool, bool]] = []

    with connection.execute_wrapper(kill_before_inserting_lines(outcome)):
        response = client.post("/api/orders", body, content_type="application/json")

    assert outcome == [(True, True)]  # it held the stock row's lock, and it was killed
    assert (response.status_code, response.json()) == (503, {"detail": DATABASE_UNAVAILABLE})
    assert (Order.objects.count(), OrderLine.objects.count()) == (0, 0)
    assert Stock.objects.get(book=book).on_hand == STOCK

    retry = client.post("/api/orders", body, content_type="application/json")
    assert retry.status_code == 201  # Django opened a new connection for the new request
    assert (Order.objects.count(), OrderLine.objects.count()) == (1, 1)
    assert Stock.objects.get(book=book).on_hand == STOCK - 2
