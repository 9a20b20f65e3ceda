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
- The idempotency key is unique per account (``placed_by``, ``idempotency_key``), inserted
  *before* any stock is touched. A second request of the same account with the same key
  waits on the first one's uncommitted row; when the first commits, the insert fails with
  ``IntegrityError``, the second transaction rolls back (its writes with it) and the first
  order is returned instead. The unique constraint, not a prior SELECT, is what makes this
  safe. Another account's key is another namespace: it never finds, nor reveals, this order.

On SQLite the same code is correct; writers are serialized by the database's write lock,
which ``IMMEDIATE`` transactions take up front and wait for (``docs/guarantees.md``).
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from fetchplan import Many, Plan, afetch_all, afetch_one, fetch_all, fetch_one
from fetchplan.observe import query_budget

from bookstore.models import Book, Customer, Order, OrderLine, Stock
from dtos.orders import OrderDTO, OrderLineDTO, OrderPage, PlacedOrder
from dtos.writes import OrderInput, OrderLineInput
from repos.write_errors import IdempotencyConflict, OutOfStock, ReferenceNotFound

__all__ = ["ORDER", "ORDER_LINE", "get_order", "get_order_of", "list_orders_of", "place_order"]

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


def _orders_of(user_id: int | None) -> QuerySet[Order]:
    """Orders of the customer whose account is ``user_id``; every order for None (staff)."""
    orders = Order.objects.all()
    return orders if user_id is None else orders.filter(customer__user_id=user_id)


@query_budget(ORDER)
def get_order_of(*, order_id: int, user_id: int | None) -> OrderDTO:
    """Return order ``order_id`` if it is of account ``user_id``'s customer (None: any order).

    2 queries. Raises ``NotFound`` for an order of another customer too: whether it exists
    is not revealed.

    Example::

        get_order_of(order_id=12, user_id=request.user.pk)
    """
    return fetch_one(ORDER, _orders_of(user_id), pk=order_id)


@query_budget(ORDER)
async def aget_order_of(*, order_id: int, user_id: int | None) -> OrderDTO:
    """Async ``get_order_of``: the same DTO, the same 2 queries. Raises ``NotFound``."""
    return await afetch_one(ORDER, _orders_of(user_id), pk=order_id)


@query_budget(ORDER)
def list_orders_of(*, user_id: int | None, before: int | None = None, limit: int = 20) -> OrderPage:
    """Return the newest ``limit`` orders of account ``user_id``'s customer, below id ``before``.

    Newest first by id; ``next_before`` continues the list (None on the last page). 2 queries
    (orders; their lines), whatever the number of orders. ``user_id=None`` lists every order.

    Example::

        page = list_orders_of(user_id=7, limit=20)
        more = list_orders_of(user_id=7, before=page.next_before, limit=20)
    """
    rows = fetch_all(ORDER, _order_page(user_id, before, limit))
    return _orders_page(rows, limit)


@query_budget(ORDER)
async def alist_orders_of(
    *, user_id: int | None, before: int | None = None, limit: int = 20
) -> OrderPage:
    """Async ``list_orders_of``: the same page, the same 2 queries."""
    rows = await afetch_all(ORDER, _order_page(user_id, before, limit))
    return _orders_page(rows, limit)


def _order_page(user_id: int | None, before: int | None, limit: int) -> QuerySet[Order]:
    """The orders to read for one page, and one past it (no query)."""
    orders = _orders_of(user_id)
    if before is not None:
        orders = orders.filter(pk__lt=before)
    return orders.order_by("-id")[: limit + 1]


def _orders_page(rows: list[OrderDTO], limit: int) -> OrderPage:
    next_before = rows[limit - 1].id if len(rows) > limit else None
    return OrderPage(items=tuple(rows[:limit]), next_before=next_before)


def place_order(
    *, order: OrderInput, placed_by: int, idempotency_key: str | None = None
) -> PlacedOrder:
    """Place ``order`` for account ``placed_by``: write it and its lines and take the copies
    from stock, atomically.

    With an ``idempotency_key``, a retry of the same request by the same account returns the
    order the first call placed (``replayed=True``) and writes nothing; the same key with a
    different request raises ``IdempotencyConflict``. Keys are per account: another account's
    key is never matched. Raises ``ReferenceNotFound`` (unknown customer or book) and
    ``OutOfStock`` (naming the first book short of copies); nothing is written then. Who may
    order for which customer is the caller's decision (``bookstore/services/ordering.py``).

    Example::

        placed = place_order(
            order=OrderInput(customer_id=3, lines=(OrderLineInput(book_id=7, quantity=2),)),
            placed_by=request.user.pk,
            idempotency_key="4f1c2a9e-...",
        )
        placed.order.total
    """
    fingerprint = order.fingerprint()
    if idempotency_key is not None:
        earlier = _earlier_order(key=idempotency_key, by=placed_by, fingerprint=fingerprint)
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            order_id = _write(
                order=order, by=placed_by, key=idempotency_key, fingerprint=fingerprint
            )
            return PlacedOrder(order=get_order(order_id=order_id), replayed=False)
    except IntegrityError:
        # Lost the race for the key to a request that committed first: that order is the
        # answer. Any other integrity error propagates.
        if idempotency_key is not None:
            earlier = _earlier_order(key=idempotency_key, by=placed_by, fingerprint=fingerprint)
            if earlier is not None:
                return earlier
        raise


def _earlier_order(*, key: str, by: int, fingerprint: str) -> PlacedOrder | None:
    found = Order.objects.filter(placed_by_id=by, idempotency_key=key).values_list(
        "pk", "request_fingerprint"
    )
    row = found.first()
    if row is None:
        return None
    order_id, stored_fingerprint = row
    if stored_fingerprint != fingerprint:
        raise IdempotencyConflict(key=key)
    return PlacedOrder(order=get_order(order_id=order_id), replayed=True)


def _write(*, order: OrderInput, by: int, key: str | None, fingerprint: str) -> int:
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
        placed_by_id=by,
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
