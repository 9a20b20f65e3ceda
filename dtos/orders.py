"""Output DTOs of orders: pure data, no Django."""

from datetime import datetime
from decimal import Decimal

from fetchplan.dto import DTO
from pydantic import computed_field

__all__ = ["OrderDTO", "OrderLineDTO", "OrderPage", "PlacedOrder"]


class OrderLineDTO(DTO):
    """One line of a placed order, with the unit price at the time of the order."""

    book_id: int
    quantity: int
    unit_price: Decimal


class OrderDTO(DTO):
    """A placed order with its lines (ordered by book id)."""

    id: int
    customer_id: int
    created: datetime
    status: str
    lines: tuple[OrderLineDTO, ...]

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented pattern
    @property
    def total(self) -> Decimal:
        """The sum of quantity x unit price over the lines."""
        return sum((line.quantity * line.unit_price for line in self.lines), Decimal(0))


class PlacedOrder(DTO):
    """The result of ``place_order``: the order, and whether it was placed by an earlier call.

    ``replayed`` is True when an idempotency key matched an order placed before: the order is
    the earlier one, and nothing was written this time.
    """

    order: OrderDTO
    replayed: bool


class OrderPage(DTO):
    """Some of a customer's orders, newest first; ``next_before`` continues the list."""

    items: tuple[OrderDTO, ...]
    next_before: int | None
