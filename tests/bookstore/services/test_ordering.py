"""The ownership rule of orders, as a plain function."""

import pytest

from bookstore.services.ordering import (
    NO_CUSTOMER,
    NOT_YOUR_CUSTOMER,
    OrderNotAllowed,
    order_customer,
)


@pytest.mark.parametrize(
    ("requested", "own", "is_staff", "expected"),
    [
        (None, 4, False, 4),
        (4, 4, False, 4),
        (None, 4, True, 4),
        (9, 4, True, 9),
        (9, None, True, 9),
    ],
)
def test_who_the_order_is_for(
    requested: int | None, own: int | None, is_staff: bool, expected: int
) -> None:
    assert order_customer(requested=requested, own=own, is_staff=is_staff) == expected


@pytest.mark.parametrize(
    ("requested", "own", "message"),
    [(9, 4, NOT_YOUR_CUSTOMER), (9, None, NOT_YOUR_CUSTOMER), (None, None, NO_CUSTOMER)],
)
def test_who_may_not(requested: int | None, own: int | None, message: str) -> None:
    with pytest.raises(OrderNotAllowed, match=message):
        order_customer(requested=requested, own=own, is_staff=False)
