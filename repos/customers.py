"""Reads and writes of customers as accounts see them: which customer a user orders for."""

from django.db import transaction
from fetchplan.observe import query_budget

from bookstore.models import Customer

__all__ = ["customer_of", "ensure_customer_for"]


@query_budget(1)
def customer_of(*, user_id: int) -> int | None:
    """Return the id of the customer whose account is ``user_id``, or None (1 query).

    Example::

        customer_of(user_id=request.user.pk)  # -> 42
    """
    return Customer.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


def ensure_customer_for(*, user_id: int, name: str, email: str) -> int:
    """Return the id of ``user_id``'s customer, creating it (``name``, ``email``) if missing.

    Example::

        ensure_customer_for(user_id=7, name="Ann", email="ann@example.com")
    """
    with transaction.atomic():
        customer, _ = Customer.objects.get_or_create(
            user_id=user_id, defaults={"name": name, "email": email}
        )
        return customer.pk
