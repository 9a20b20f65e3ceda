"""Orders belong to their buyer (issue 13, findings 4 and 5): a user orders for their own
customer only, reads only their own orders, and their Idempotency-Keys are theirs alone."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from bookstore.api_orders import REPLAYED_HEADER
from bookstore.models import Customer, Order
from bookstore.services.ordering import NO_CUSTOMER, NOT_YOUR_CUSTOMER
from repos.write_errors import REFERENCE_NOT_FOUND
from tests.writes.factories import make_book, make_buyer, make_user, snapshot, token_auth

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    return Client(enforce_csrf_checks=True, headers=token_auth(user))


def order(client: Client, body: dict[str, object], **headers: str) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/api/orders", json.dumps(body), content_type="application/json", headers=headers
    )
    payload = response.json()
    assert isinstance(payload, dict)
    if REPLAYED_HEADER in response:
        payload["replayed"] = True
    return response.status_code, payload


@pytest.fixture
def book_id() -> int:
    return make_book(stock=100, price="10.00").pk


def lines(book_id: int, quantity: int = 1) -> list[dict[str, int]]:
    return [{"book_id": book_id, "quantity": quantity}]


class TestWhoOrdersForWhom:
    def test_an_order_is_for_the_callers_own_customer(self, book_id: int) -> None:
        user, customer = make_buyer()
        status, body = order(client_of(user), {"lines": lines(book_id)})
        assert (status, body["customer_id"]) == (201, customer.pk)
        assert Order.objects.get().placed_by_id == user.pk

    def test_naming_another_customer_is_403_and_writes_nothing(self, book_id: int) -> None:
        me, mine = make_buyer(username="me")
        _, theirs = make_buyer(username="them")
        before = snapshot()
        for customer_id in (theirs.pk, theirs.pk + 1000):  # existing or not: the same answer
            status, body = order(
                client_of(me), {"customer_id": customer_id, "lines": lines(book_id)}
            )
            assert (status, body) == (403, {"detail": NOT_YOUR_CUSTOMER})
        assert snapshot() == before
        status, body = order(client_of(me), {"customer_id": mine.pk, "lines": lines(book_id)})
        assert status == 201  # naming one's own customer is fine

    def test_an_account_without_a_customer_cannot_order(self, book_id: int) -> None:
        status, body = order(client_of(make_user(username="nobody")), {"lines": lines(book_id)})
        assert (status, body) == (403, {"detail": NO_CUSTOMER})

    def test_staff_may_order_for_another_customer(self, book_id: int) -> None:
        staff, _ = make_buyer(username="clerk", staff=True)
        _, theirs = make_buyer(username="caller")
        status, body = order(client_of(staff), {"customer_id": theirs.pk, "lines": lines(book_id)})
        assert (status, body["customer_id"]) == (201, theirs.pk)
        status, body = order(client_of(staff), {"customer_id": 999_999, "lines": lines(book_id)})
        assert (status, body) == (
            422,
            {"detail": REFERENCE_NOT_FOUND.format(model="Customer", id=999_999)},
        )


class TestIdempotencyKeysPerUser:
    def test_one_key_from_two_users_places_two_orders(self, book_id: int) -> None:
        ann, ann_customer = make_buyer(username="ann")
        bob, bob_customer = make_buyer(username="bob")
        first = order(client_of(ann), {"lines": lines(book_id, 2)}, **{"Idempotency-Key": "k"})
        second = order(client_of(bob), {"lines": lines(book_id, 2)}, **{"Idempotency-Key": "k"})
        assert (first[0], second[0]) == (201, 201)
        assert (first[1]["customer_id"], second[1]["customer_id"]) == (
            ann_customer.pk,
            bob_customer.pk,
        )
        assert "replayed" not in second[1]  # bob did not get ann's order back
        assert Order.objects.count() == 2

    def test_another_users_key_with_another_body_reveals_nothing(self, book_id: int) -> None:
        ann, _ = make_buyer(username="ann")
        bob, bob_customer = make_buyer(username="bob")
        order(client_of(ann), {"lines": lines(book_id, 3)}, **{"Idempotency-Key": "secret"})
        status, body = order(
            client_of(bob), {"lines": lines(book_id, 1)}, **{"Idempotency-Key": "secret"}
        )
        assert (status, body["customer_id"]) == (201, bob_customer.pk)  # not a 422: no hint
        assert "replayed" not in body

    def test_the_owner_still_gets_a_replay(self, book_id: int) -> None:
        ann, _ = make_buyer(username="ann")
        bob, _ = make_buyer(username="bob")
        first = order(client_of(ann), {"lines": lines(book_id)}, **{"Idempotency-Key": "r"})
        order(client_of(bob), {"lines": lines(book_id)}, **{"Idempotency-Key": "r"})
        again = order(client_of(ann), {"lines": lines(book_id)}, **{"Idempotency-Key": "r"})
        assert again[0] == 200
        assert again[1] == {**first[1], "replayed": True}


def placed_id(user: User, book_id: int) -> int:
    status, body = order(client_of(user), {"lines": lines(book_id)})
    assert status == 201
    return int(str(body["id"]))


class TestReadingOrders:
    def test_users_list_only_their_own_orders_and_staff_all(self, book_id: int) -> None:
        ann, _ = make_buyer(username="ann")
        bob, _ = make_buyer(username="bob")
        clerk = make_user(username="clerk", staff=True)
        ann_ids = [placed_id(ann, book_id) for _ in range(3)]
        bob_ids = [placed_id(bob, book_id) for _ in range(2)]

        def listed(user: User, query: str = "") -> list[int]:
            page = client_of(user).get(f"/api/orders{query}").json()
            return [int(item["id"]) for item in page["items"]]

        assert listed(ann) == sorted(ann_ids, reverse=True)
        assert listed(bob) == sorted(bob_ids, reverse=True)
        assert listed(clerk) == sorted(ann_ids + bob_ids, reverse=True)
        page = client_of(ann).get("/api/orders?limit=2").json()
        assert page["next_before"] == sorted(ann_ids)[1]
        assert listed(ann, f"?before={page['next_before']}") == [min(ann_ids)]

    def test_another_users_order_is_a_404_like_a_missing_one(self, book_id: int) -> None:
        ann, _ = make_buyer(username="ann")
        bob, _ = make_buyer(username="bob")
        ann_order = order(client_of(ann), {"lines": lines(book_id)})[1]["id"]
        assert client_of(ann).get(f"/api/orders/{ann_order}").status_code == 200
        theirs = client_of(bob).get(f"/api/orders/{ann_order}")
        missing = client_of(bob).get("/api/orders/987654")
        assert (theirs.status_code, missing.status_code) == (404, 404)
        assert theirs.json()["detail"].replace(str(ann_order), "N") == missing.json()[
            "detail"
        ].replace("987654", "N")
        clerk = make_user(username="clerk", staff=True)
        assert client_of(clerk).get(f"/api/orders/{ann_order}").status_code == 200

    def test_reading_orders_needs_authentication(self) -> None:
        for url in ("/api/orders", "/api/orders/1"):
            response = Client().get(url)
            assert response.status_code == 401
            assert "WWW-Authenticate" in response

    def test_an_account_without_a_customer_has_no_orders(self) -> None:
        lonely = make_user(username="lonely")
        Customer.objects.create(name="Walk-in", email="walk@in.example")  # no account
        assert client_of(lonely).get("/api/orders").json() == {"items": [], "next_before": None}
