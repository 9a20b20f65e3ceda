"""Placing orders: all lines or nothing, stock never negative, one order per idempotency key.

How ``place_order`` stays correct under concurrency (PostgreSQL, READ COMMITTED):

- Stock is decremented with one conditional statement per line,
  ``UPDATE stock SET on_hand = on_hand - q WHERE book_id = b AND on_hand >= q``; a concurrent
  writer of the same row waits for the row lock, then re-checks the condition against the
  committed value. An update that matches no row means "not enough": ``OutOfStock``.
- Lines are decremented in ascending book id, so two orders lock rows in one order and cannot
  deadlock each other.
- Everything runs in one ``transaction.atomic()``: the order, its lines and the decrements
  commit together or not at all (a savepoint when the caller already has a transaction).
- The idempotency key is a unique column, inserted *before* any stock is touched. A second
  request with the same key waits on the first one's uncommitted row; when the first commits,
  the insert fails with ``IntegrityError``, the second transaction rolls back (its writes with
  it) and the first order is returned instead. The unique constraint, not a prior SELECT, is
  what makes this safe.

On SQLite the same code is correct but writers are serialized by a database-wide lock; see
README, "Writes and guarantees".
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from fetchplan import Many, Plan, fetch_one

from bookstore.models import Book, Customer, Order, OrderLine, Stock
from dtos.orders import OrderDTO, OrderLineDTO, PlacedOrder
from dtos.writes import OrderInput, OrderLineInput
from repos.write_errors import IdempotencyConflict, OutOfStock, ReferenceNotFound

__all__ = ["ORDER", "ORDER_LINE", "get_order", "place_order"]

ORDER_LINE = Plan(OrderLine, OrderLineDTO, name="order line")
ORDER = Plan(
    Order,
    OrderDTO,
    relations={"lines": Many(ORDER_LINE, order_by=("book_id",))},
    name="order with lines",
)


def get_order(*, order_id: int) -> OrderDTO:
    """Return order ``order_id`` with its lines (2 queries); raises ``NotFound``."""
    return fetch_one(ORDER, Order.objects.all(), pk=order_id)


def place_order(*, order: OrderInput, idempotency_key: str | None = None) -> PlacedOrder:
    """Place ``order``: write it and its lines and take the copies from stock, atomically.

    With an ``idempotency_key``, a retry of the same request returns the order the first
    call placed (``replayed=True``) and writes nothing; the same key with a different request
    raises ``IdempotencyConflict``. Raises ``ReferenceNotFound`` (unknown customer or book)
    and ``OutOfStock`` (naming the first book short of copies); nothing is written then.

    Example::

        placed = place_order(
            order=OrderInput(customer_id=3, lines=(OrderLineInput(book_id=7, quantity=2),)),
            idempotency_key="4f1c2a9e-...",
        )
        placed.order.total
    """
    fingerprint = order.fingerprint()
    if idempotency_key is not None:
        earlier = _earlier_order(key=idempotency_key, fingerprint=fingerprint)
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            order_id = _write(order=order, key=idempotency_key, fingerprint=fingerprint)
            return PlacedOrder(order=get_order(order_id=order_id), replayed=False)
    except IntegrityError:
        # Lost the race for the key to a request that committed first: that order is the
        # answer. Any other integrity error propagates.
        if idempotency_key is not None:
            earlier = _earlier_order(key=idempotency_key, fingerprint=fingerprint)
            if earlier is not None:
                return earlier
        raise


def _earlier_order(*, key: str, fingerprint: str) -> PlacedOrder | None:
    found = Order.objects.filter(idempotency_key=key).values_list("pk", "request_fingerprint")
    row = found.first()
    if row is None:
        return None
    order_id, stored_fingerprint = row
    if stored_fingerprint != fingerprint:
        raise IdempotencyConflict(key=key)
    return PlacedOrder(order=get_order(order_id=order_id), replayed=True)


def _write(*, order: OrderInput, key: str | None, fingerprint: str) -> int:
    """Write the order in the current transaction; return its id. Raise before any commit."""
    if not Customer.objects.filter(pk=order.customer_id).exists():
        raise ReferenceNotFound(model="Customer", id=order.customer_id)
    lines = sorted(order.lines, key=lambda line: line.book_id)  # the lock order
    prices = dict(
        Book.objects.filter(pk__in=[line.book_id for line in lines]).values_list("pk", "price")
    )
    for line in lines:
        if line.book_id not in prices:
            raise ReferenceNotFound(model="Book", id=line.book_id)
    row = Order.objects.create(
        customer_id=order.customer_id,
        idempotency_key=key,
        request_fingerprint=fingerprint if key is not None else "",
    )
    _take_stock(lines)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=row, book_id=line.book_id, quantity=line.quantity, unit_price=prices[line.book_id]
        )
        for line in lines
    )
    return row.pk


def _take_stock(lines: Iterable[OrderLineInput]) -> None:
    """Decrement stock line by line; raise ``OutOfStock`` at the first line short of copies."""
    for line in lines:
        taken = Stock.objects.filter(book_id=line.book_id, on_hand__gte=line.quantity).update(
            on_hand=F("on_hand") - line.quantity
        )
        if taken != 1:
            raise _out_of_stock(line)


def _out_of_stock(line: OrderLineInput) -> OutOfStock:
    title = Book.objects.filter(pk=line.book_id).values_list("title", flat=True).first() or ""
    on_hand = Stock.objects.filter(book_id=line.book_id).values_list("on_hand", flat=True).first()
    return OutOfStock(
        book_id=line.book_id, title=title, requested=line.quantity, available=on_hand or 0
    )
