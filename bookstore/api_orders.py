"""Orders in the JSON API: place one, list yours, read one of yours (issue 13, findings 4, 5).

- ``POST /api/orders`` places an order for the caller's own customer; only staff may name
  another ``customer_id`` (``bookstore/services/ordering.py``): 403 otherwise, whether that
  customer exists or not. The ``Idempotency-Key`` header is scoped to the caller: the same
  key from two users places two orders, and nobody can replay, or learn of, another user's.
- ``GET /api/orders`` lists the caller's customer's orders, newest first (``before`` an order
  id, ``limit`` 1..100); ``GET /api/orders/{id}`` reads one: another customer's order is a
  404, as if it did not exist. Staff read every order.

All three need authentication (``bookstore/api_auth.py``).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from ninja import Query, Status
from ninja.params.functions import Header

from bookstore.api_auth import API_AUTH
from bookstore.api_routes import RowId, routes
from bookstore.api_writes import ERROR_RESPONSES, Answer, Problem, answer
from bookstore.services.ordering import OrderNotAllowed, order_customer
from dtos.orders import OrderDTO, OrderPage, PlacedOrder
from dtos.reads import OrderPageParams
from dtos.writes import OrderRequest
from repos.customers import customer_of
from repos.orders import aget_order_of, alist_orders_of, place_order

__all__ = ["ORDER_RESPONSES", "REPLAYED_HEADER"]

REPLAYED_HEADER = "Idempotent-Replayed"
ORDER_RESPONSES = {200: OrderDTO, 201: OrderDTO, **ERROR_RESPONSES}

IdempotencyKeyHeader = Header(
    None,
    alias="Idempotency-Key",
    pattern=r"^[\x21-\x7e]{1,255}$",
    description="Retrying with the same key returns the same order instead of a new one.",
)


def _caller(request: HttpRequest) -> AbstractBaseUser:
    user = getattr(request, "auth", None)  # ninja sets it to what the auth class returned
    assert isinstance(user, AbstractBaseUser), "the route's auth returns users"
    return user


def _staff(user: AbstractBaseUser) -> bool:
    return bool(getattr(user, "is_staff", False))


@routes.post("/orders", response=ORDER_RESPONSES, auth=API_AUTH, tags=["orders"])
def create_order(
    request: HttpRequest,
    response: HttpResponse,
    payload: OrderRequest,
    idempotency_key: str | None = IdempotencyKeyHeader,
) -> Answer[OrderDTO]:
    """Place an order; 201 when placed now, 200 when an earlier request with the key placed it."""
    user = _caller(request)
    try:
        customer_id = order_customer(
            requested=payload.customer_id, own=customer_of(user_id=user.pk), is_staff=_staff(user)
        )
    except OrderNotAllowed as error:
        return Status(403, Problem(detail=str(error)))
    order = payload.for_customer(customer_id)
    placed: Answer[PlacedOrder] = answer(
        201,
        lambda: place_order(order=order, placed_by=user.pk, idempotency_key=idempotency_key),
    )
    result = placed.value
    if isinstance(result, Problem):
        return Status(placed.status_code, result)
    if result.replayed:
        response[REPLAYED_HEADER] = "true"
        return Status(200, result.order)
    return Status(201, result.order)


@routes.get("/orders", response={200: OrderPage, **ERROR_RESPONSES}, auth=API_AUTH, tags=["orders"])
async def my_orders(request: HttpRequest, params: Query[OrderPageParams]) -> OrderPage:
    """List your orders, newest first (2 queries); staff see every order."""
    user = _caller(request)
    return await alist_orders_of(
        user_id=None if _staff(user) else user.pk, before=params.before, limit=params.limit
    )


@routes.get(
    "/orders/{order_id}",
    response={200: OrderDTO, **ERROR_RESPONSES},
    auth=API_AUTH,
    tags=["orders"],
)
async def my_order(request: HttpRequest, order_id: RowId) -> OrderDTO:
    """Read one of your orders (2 queries); another customer's order is a 404."""
    user = _caller(request)
    return await aget_order_of(order_id=order_id, user_id=None if _staff(user) else user.pk)
