"""Reading a customer's orders: 2 queries whatever their number, only the account's own."""

import pytest
from fetchplan import NotFound
from fetchplan.observe.pytest_plugin import AssertConstantQueries

from dtos.writes import OrderInput, OrderLineInput
from repos.orders import get_order_of, list_orders_of, place_order
from tests.writes.factories import make_book, make_buyer

pytestmark = pytest.mark.django_db


def place(count: int, *, username: str) -> tuple[int, list[int]]:
    user, customer = make_buyer(username=username)
    books = [make_book(stock=100) for _ in range(3)]
    ids = []
    for n in range(count):
        lines = tuple(OrderLineInput(book_id=b.pk, quantity=1) for b in books[: n % 3 + 1])
        placed = place_order(
            order=OrderInput(customer_id=customer.pk, lines=lines), placed_by=user.pk
        )
        ids.append(placed.order.id)
    return user.pk, ids


def test_listing_orders_runs_two_queries_for_any_number(
    assert_constant_queries: AssertConstantQueries,
) -> None:
    users: list[int] = []

    def setup(count: int) -> None:
        user_id, _ = place(count, username=f"u{count}")
        users.append(user_id)

    counted = assert_constant_queries(
        lambda: list_orders_of(user_id=users[-1], limit=20),
        small=lambda: setup(2),
        large=lambda: setup(40),
    )
    assert counted == 2


def test_an_order_of_another_account_is_not_found() -> None:
    ann, ann_orders = place(2, username="ann")
    bob, _ = place(1, username="bob")
    assert get_order_of(order_id=ann_orders[0], user_id=ann).id == ann_orders[0]
    assert get_order_of(order_id=ann_orders[0], user_id=None).id == ann_orders[0]  # staff
    with pytest.raises(NotFound):
        get_order_of(order_id=ann_orders[0], user_id=bob)
    page = list_orders_of(user_id=ann, limit=1)
    assert [o.id for o in page.items] == [max(ann_orders)]
    assert [o.id for o in list_orders_of(user_id=ann, before=page.next_before).items] == [
        min(ann_orders)
    ]
