"""Who may order for whom: the ownership rule of ``POST /api/orders``.

A user orders for their own customer. Staff may name another customer (orders taken by
phone, corrections); nobody else may, whatever ``customer_id`` the body names.
"""

__all__ = ["NOT_YOUR_CUSTOMER", "NO_CUSTOMER", "OrderNotAllowed", "order_customer"]

NO_CUSTOMER = "Your account has no customer to order for; ask the shop to link one."
NOT_YOUR_CUSTOMER = "You may place orders only for your own customer."


class OrderNotAllowed(Exception):
    """The caller may not place this order; ``str(error)`` is the client's message."""


def order_customer(*, requested: int | None, own: int | None, is_staff: bool) -> int:
    """Return the customer an order is for; raise ``OrderNotAllowed`` if the caller may not.

    ``requested`` is the body's ``customer_id`` (None: the caller's own), ``own`` the
    caller's customer (None: the account has none).

    Example::

        order_customer(requested=None, own=42, is_staff=False)  # -> 42
        order_customer(requested=7, own=42, is_staff=False)  # raises OrderNotAllowed
    """
    if requested is None or requested == own:
        if own is None:
            raise OrderNotAllowed(NO_CUSTOMER)
        return own
    if not is_staff:
        raise OrderNotAllowed(NOT_YOUR_CUSTOMER)
    return requested
