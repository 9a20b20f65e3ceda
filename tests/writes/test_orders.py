"""Placing orders: stock, atomicity (a later line out of stock undoes the earlier ones),
references, and the idempotency key."""

from decimal import Decimal

import pytest
from fetchplan.observe.pytest_plugin import AssertNumQueries
from pydantic import ValidationError

from bookstore.models import Order, OrderLine, Stock
from dtos.writes import ORDER_DUPLICATE_BOOK, OrderInput, OrderLineInput
from repos.orders import place_order
from repos.write_errors import (
    IDEMPOTENCY_CONFLICT,
    OUT_OF_STOCK,
    REFERENCE_NOT_FOUND,
    IdempotencyConflict,
    OutOfStock,
    ReferenceNotFound,
)
from tests.writes.factories import buyer_id as buyer
from tests.writes.factories import make_book, make_customer, snapshot

pytestmark = pytest.mark.django_db


def order_of(customer_id: int, *lines: tuple[int, int]) -> OrderInput:
    return OrderInput(
        customer_id=customer_id,
        lines=tuple(OrderLineInput(book_id=b, quantity=q) for b, q in lines),
    )


def on_hand(book_id: int) -> int:
    return Stock.objects.get(book_id=book_id).on_hand


class TestInput:
    def test_needs_at_least_one_line(self) -> None:
        with pytest.raises(ValidationError):
            OrderInput(customer_id=1, lines=())

    def test_refuses_a_book_twice(self) -> None:
        with pytest.raises(ValidationError) as info:
            order_of(1, (5, 1), (5, 2))
        assert ORDER_DUPLICATE_BOOK.format(book_id=5, count=2) in str(info.value)

    @pytest.mark.parametrize("quantity", [0, -1, 10_001])
    def test_quantity_is_1_to_10000(self, quantity: int) -> None:
        with pytest.raises(ValidationError):
            order_of(1, (5, quantity))

    def test_fingerprint_ignores_line_order_but_not_quantities(self) -> None:
        a = order_of(1, (5, 1), (6, 2))
        assert a.fingerprint() == order_of(1, (6, 2), (5, 1)).fingerprint()
        assert a.fingerprint() != order_of(1, (5, 1), (6, 3)).fingerprint()
        assert a.fingerprint() != order_of(2, (5, 1), (6, 2)).fingerprint()


class TestPlace:
    def test_writes_order_lines_and_takes_stock(self) -> None:
        customer = make_customer()
        first, second = make_book(stock=5, price="10.00"), make_book(stock=3, price="2.50")
        placed = place_order(
            placed_by=buyer(), order=order_of(customer.pk, (second.pk, 3), (first.pk, 2))
        )
        assert not placed.replayed
        order = placed.order
        assert order.customer_id == customer.pk
        assert [(line.book_id, line.quantity, line.unit_price) for line in order.lines] == [
            (first.pk, 2, Decimal("10.00")),
            (second.pk, 3, Decimal("2.50")),
        ]
        assert order.total == Decimal("27.50")
        assert (on_hand(first.pk), on_hand(second.pk)) == (3, 0)
        assert OrderLine.objects.filter(order_id=order.id).count() == 2

    @pytest.mark.parametrize("lines", [1, 3])
    def test_query_count_is_8_plus_one_per_line(
        self, lines: int, assert_num_queries: AssertNumQueries
    ) -> None:
        customer, by = make_customer(), buyer()
        books = [make_book(stock=5) for _ in range(lines)]
        # customer, prices, order insert, one stock update per line (the lock order), line
        # insert, order + lines read, and the savepoint and its release (the test runs in a
        # transaction, so atomic() is a savepoint)
        with assert_num_queries(8 + lines):
            place_order(
                placed_by=by, order=order_of(customer.pk, *((book.pk, 1) for book in books))
            )

    def test_second_line_out_of_stock_rolls_back_everything(self) -> None:
        customer = make_customer()
        plenty, scarce = make_book(stock=10), make_book(stock=1, title="Rare")
        before = snapshot()
        with pytest.raises(OutOfStock) as info:
            place_order(
                placed_by=buyer(), order=order_of(customer.pk, (plenty.pk, 4), (scarce.pk, 2))
            )
        assert str(info.value) == OUT_OF_STOCK.format(
            book_id=scarce.pk, title="Rare", requested=2, available=1
        )
        assert (info.value.book_id, info.value.available) == (scarce.pk, 1)
        assert snapshot() == before  # plenty's 4 copies are back: nothing was written

    def test_a_book_without_a_stock_row_is_out_of_stock(self) -> None:
        customer, book = make_customer(), make_book(stock=None)
        with pytest.raises(OutOfStock) as info:
            place_order(placed_by=buyer(), order=order_of(customer.pk, (book.pk, 1)))
        assert info.value.available == 0
        assert Order.objects.count() == 0

    def test_unknown_customer_or_book_writes_nothing(self) -> None:
        customer, book = make_customer(), make_book()
        before = snapshot()
        with pytest.raises(ReferenceNotFound) as info:
            place_order(placed_by=buyer(), order=order_of(customer.pk + 99, (book.pk, 1)))
        assert str(info.value) == REFERENCE_NOT_FOUND.format(model="Customer", id=customer.pk + 99)
        with pytest.raises(ReferenceNotFound) as info:
            place_order(
                placed_by=buyer(), order=order_of(customer.pk, (book.pk, 1), (book.pk + 99, 1))
            )
        assert str(info.value) == REFERENCE_NOT_FOUND.format(model="Book", id=book.pk + 99)
        assert snapshot() == before


class TestIdempotency:
    def test_retry_returns_the_same_order_and_writes_nothing(self) -> None:
        customer, book = make_customer(), make_book(stock=5)
        first = place_order(
            placed_by=buyer(), order=order_of(customer.pk, (book.pk, 2)), idempotency_key="k-1"
        )
        after_first = snapshot()
        again = place_order(
            placed_by=buyer(), order=order_of(customer.pk, (book.pk, 2)), idempotency_key="k-1"
        )
        assert (first.replayed, again.replayed) == (False, True)
        assert again.order == first.order
        assert again.order.model_dump_json() == first.order.model_dump_json()
        assert snapshot() == after_first
        assert on_hand(book.pk) == 3

    def test_same_key_for_another_request_is_a_conflict(self) -> None:
        customer, book = make_customer(), make_book(stock=5)
        place_order(
            placed_by=buyer(), order=order_of(customer.pk, (book.pk, 2)), idempotency_key="k-2"
        )
        before = snapshot()
        with pytest.raises(IdempotencyConflict) as info:
            place_order(
                placed_by=buyer(), order=order_of(customer.pk, (book.pk, 3)), idempotency_key="k-2"
            )
        assert str(info.value) == IDEMPOTENCY_CONFLICT.format(key="k-2")
        assert snapshot() == before

    def test_a_refused_order_does_not_use_up_its_key(self) -> None:
        customer, book = make_customer(), make_book(stock=1)
        with pytest.raises(OutOfStock):
            place_order(
                placed_by=buyer(), order=order_of(customer.pk, (book.pk, 2)), idempotency_key="k-3"
            )
        Stock.objects.filter(book=book).update(on_hand=2)
        placed = place_order(
            placed_by=buyer(), order=order_of(customer.pk, (book.pk, 2)), idempotency_key="k-3"
        )
        assert not placed.replayed

    def test_keys_differing_only_in_case_are_two_keys(self) -> None:
        """Keys compare exactly on every database (binary collation on MySQL/MariaDB)."""
        customer, book = make_customer(), make_book(stock=5)
        lower = place_order(
            placed_by=buyer(), order=order_of(customer.pk, (book.pk, 1)), idempotency_key="key-a"
        )
        upper = place_order(
            placed_by=buyer(), order=order_of(customer.pk, (book.pk, 2)), idempotency_key="KEY-A"
        )
        assert not upper.replayed
        assert upper.order.id != lower.order.id
        assert Order.objects.filter(idempotency_key="KEY-A").get().pk == upper.order.id

    def test_orders_without_a_key_are_independent(self) -> None:
        customer, book = make_customer(), make_book(stock=5)
        a = place_order(placed_by=buyer(), order=order_of(customer.pk, (book.pk, 1)))
        b = place_order(placed_by=buyer(), order=order_of(customer.pk, (book.pk, 1)))
        assert a.order.id != b.order.id
        assert Order.objects.filter(idempotency_key__isnull=True).count() == 2
