"""8 workers x 50 one-copy orders for one book with 100 copies, 5 rounds, on both databases.

Exactly 100 copies are sold in every round, stock never goes below 0, and each refused order
wrote nothing (orders == lines == copies sold). On PostgreSQL the conditional UPDATE makes a
waiting writer re-check ``on_hand >= 1`` against the committed value. On SQLite (a file
database, as in production: ``tests/settings.py``) writers are serialized: each transaction
starts with ``BEGIN IMMEDIATE`` and waits up to the busy timeout for the write lock, so no
order is refused as "locked" and the outcome is the same as on PostgreSQL.
"""

import threading

import pytest
from django.db import OperationalError, connection
from django.db.models import Sum

from bookstore.models import Order, OrderLine, Stock
from dtos.orders import PlacedOrder
from repos.orders import place_order
from tests.writes.concurrency import Tally, one_unit, order_loop, run_workers
from tests.writes.factories import buyer_id, make_book, make_customer

WORKERS = 8
ORDERS_EACH = 50
STOCK = 100
ROUNDS = 5


def watch_stock(book_id: int, stop: threading.Event, seen: list[int]) -> None:
    """Read the book's stock until ``stop`` is set, keeping the lowest value seen."""
    try:
        while not stop.is_set():
            try:
                value = (
                    Stock.objects.filter(book_id=book_id).values_list("on_hand", flat=True).get()
                )
            except OperationalError as error:  # SQLite: a writer holds the table
                if "locked" not in str(error):
                    raise
                continue
            seen[0] = min(seen[0], value)
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_number", range(1, ROUNDS + 1))
def test_concurrent_orders_never_oversell(round_number: int) -> None:
    customer, book = make_customer(), make_book(stock=STOCK)
    stop, lowest = threading.Event(), [STOCK]
    watcher = threading.Thread(target=watch_stock, args=(book.pk, stop, lowest))
    watcher.start()
    try:
        tally = run_workers(
            workers=WORKERS,
            target=order_loop(
                order=one_unit(customer_id=customer.pk, book_id=book.pk),
                placed_by=buyer_id(),
                count=ORDERS_EACH,
            ),
        )
    finally:
        stop.set()
        watcher.join()

    assert tally.unexpected == []
    outcomes = tally.outcomes
    print(f"{connection.vendor} round {round_number}: {dict(outcomes)}")
    assert sum(outcomes.values()) == WORKERS * ORDERS_EACH
    on_hand = Stock.objects.get(book=book).on_hand
    sold = OrderLine.objects.filter(book=book).aggregate(total=Sum("quantity"))["total"] or 0
    assert lowest[0] >= 0
    assert on_hand >= 0
    assert sold + on_hand == STOCK
    assert sold == outcomes["placed"]
    assert Order.objects.count() == outcomes["placed"]  # refused orders left no order row
    assert OrderLine.objects.count() == outcomes["placed"]  # and no line
    assert (outcomes["placed"], outcomes["out_of_stock"], on_hand) == (STOCK, 300, 0)
    assert outcomes["locked"] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_place_one_order() -> None:
    customer, book = make_customer(), make_book(stock=STOCK)
    order = one_unit(customer_id=customer.pk, book_id=book.pk)
    by = buyer_id()
    results: list[PlacedOrder] = []
    lock = threading.Lock()

    def retry(_tally: Tally) -> None:
        placed = place_order(order=order, placed_by=by, idempotency_key="same-key")
        with lock:
            results.append(placed)

    tally = run_workers(workers=WORKERS, target=retry)
    assert tally.unexpected == []
    assert len({placed.order for placed in results}) == 1  # every caller got the same order
    assert sorted(placed.replayed for placed in results) == [False] + [True] * (WORKERS - 1)
    assert (Order.objects.count(), OrderLine.objects.count()) == (1, 1)
    assert Stock.objects.get(book=book).on_hand == STOCK - 1
