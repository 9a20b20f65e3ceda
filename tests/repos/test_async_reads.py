"""The async repository functions behind the JSON API give the sync ones' DTOs and queries.

Each test runs the coroutine with ``async_to_sync`` from the test's thread: the ORM work then
runs here, on the connection holding the test's transaction (see the library's
``test_arun.py``). The endpoints' own query counts are pinned in
``tests/bookstore/test_api.py`` (books, authors) and ``tests/hostile`` (orders).
"""

import inspect
from collections.abc import Awaitable, Callable

import pytest
from asgiref.sync import async_to_sync
from fetchplan import NotFound
from fetchplan.observe import record_queries

from bookstore import api, api_orders
from dtos.books import BookFilters
from dtos.writes import OrderInput, OrderLineInput
from repos.authors import PageOutOfRange, aget_author, alist_authors, get_author, list_authors
from repos.books import aget_book, alist_books, get_book, list_books
from repos.orders import aget_order_of, alist_orders_of, get_order_of, list_orders_of, place_order
from tests.bookstore.data import Picked
from tests.writes.factories import make_book, make_buyer

pytestmark = pytest.mark.django_db


def run[R](coroutine: Callable[[], Awaitable[R]]) -> R:
    async def main() -> R:
        return await coroutine()

    return async_to_sync(main)()


def same_result_and_sql[R](sync: Callable[[], R], asynchronous: Callable[[], Awaitable[R]]) -> R:
    """Run both; assert equal results and the same SQL statements; return the result."""
    with record_queries(call_sites=False) as synced:
        expected = sync()
    with record_queries(call_sites=False) as awaited:
        result = run(asynchronous)
    assert result == expected
    assert awaited.sql == synced.sql
    return result


@pytest.fixture
def picked() -> Picked:
    picked = Picked()
    picked.seeder(60)()
    return picked


def test_book_reads(picked: Picked) -> None:
    filters = BookFilters(sort="-rating")
    page = same_result_and_sql(
        lambda: list_books(filters=filters, limit=7),
        lambda: alist_books(filters=filters, limit=7),
    )
    assert len(page.items) == 7
    assert page.next_cursor is not None
    cursor = page.next_cursor
    same_result_and_sql(
        lambda: list_books(filters=filters, cursor=cursor, limit=7),
        lambda: alist_books(filters=filters, cursor=cursor, limit=7),
    )
    book = same_result_and_sql(lambda: get_book(picked.book_id), lambda: aget_book(picked.book_id))
    assert book.id == picked.book_id
    with pytest.raises(NotFound):
        run(lambda: aget_book(10**9))


def test_author_reads(picked: Picked) -> None:
    page = same_result_and_sql(lambda: list_authors(page=1), lambda: alist_authors(page=1))
    assert page.items
    author = same_result_and_sql(
        lambda: get_author(picked.author_id), lambda: aget_author(picked.author_id)
    )
    assert author.id == picked.author_id
    with pytest.raises(PageOutOfRange):
        run(lambda: alist_authors(page=999))


def test_order_reads() -> None:
    user, customer = make_buyer(username="async-reader")
    book = make_book(stock=10)
    lines = (OrderLineInput(book_id=book.pk, quantity=1),)
    ids = [
        place_order(
            order=OrderInput(customer_id=customer.pk, lines=lines), placed_by=user.pk
        ).order.id
        for _ in range(3)
    ]
    page = same_result_and_sql(
        lambda: list_orders_of(user_id=user.pk, limit=2),
        lambda: alist_orders_of(user_id=user.pk, limit=2),
    )
    assert [order.id for order in page.items] == ids[::-1][:2]
    same_result_and_sql(
        lambda: get_order_of(order_id=ids[0], user_id=user.pk),
        lambda: aget_order_of(order_id=ids[0], user_id=user.pk),
    )
    with pytest.raises(NotFound):
        run(lambda: aget_order_of(order_id=ids[0], user_id=user.pk + 1))


@pytest.mark.parametrize(
    "view",
    [api.books, api.book, api.authors, api.author, api_orders.my_orders, api_orders.my_order],
)
def test_the_json_read_endpoints_are_async(view: Callable[..., object]) -> None:
    assert inspect.iscoroutinefunction(view)
