"""The write API: authentication, permissions, status codes, and the Idempotency-Key header."""

import json

import pytest
from django.test import Client

from bookstore.api_auth import AUTH_REQUIRED, CREDENTIALS_REFUSED, CSRF_FAILED
from bookstore.api_orders import REPLAYED_HEADER
from bookstore.api_writes import PERMISSION_DENIED
from bookstore.models import Order
from repos.write_errors import DUPLICATE_ISBN, IDEMPOTENCY_CONFLICT, REFERENCE_NOT_FOUND
from tests.writes.factories import (
    PASSWORD,
    basic_auth,
    make_author,
    make_book,
    make_buyer,
    make_user,
    snapshot,
    token_auth,
)

pytestmark = pytest.mark.django_db

BOOK_PERMS = ("bookstore.add_book", "bookstore.change_book")


def post(client: Client, url: str, body: object, **headers: str) -> tuple[int, object]:
    response = client.post(url, json.dumps(body), content_type="application/json", headers=headers)
    return response.status_code, response.json()


def book_body(author_id: int, **changes: object) -> dict[str, object]:
    return {
        "title": "Dune",
        "isbn": "9780306406157",
        "price": "9.99",
        "published": "1965-08-01",
        "author_id": author_id,
        **changes,
    }


@pytest.fixture
def editor() -> dict[str, str]:
    return token_auth(make_user(perms=BOOK_PERMS, username="editor"))


@pytest.fixture
def reader() -> dict[str, str]:
    user, _ = make_buyer(username="reader")
    return token_auth(user)


WRITES = [
    ("post", "/api/books"),
    ("put", "/api/books/1"),
    ("patch", "/api/books/1"),
    ("post", "/api/books/1/reviews"),
    ("post", "/api/orders"),
]


class TestAuthentication:
    """Finding 3: without credentials, or with wrong ones, the API says 401 and how to log in.

    ``enforce_csrf_checks=True``: the plain test client skips CSRF, which hid that anonymous
    writes got a 403 "CSRF check Failed".
    """

    @pytest.mark.parametrize(("method", "url"), WRITES)
    def test_anonymous_writes_get_401_with_www_authenticate(self, method: str, url: str) -> None:
        before = snapshot()
        response = getattr(Client(enforce_csrf_checks=True), method)(
            url, "{}", content_type="application/json"
        )
        assert (response.status_code, response.json()) == (401, {"detail": AUTH_REQUIRED})
        assert response["WWW-Authenticate"] == 'Bearer realm="bookstore"'
        assert snapshot() == before

    @pytest.mark.parametrize(
        "headers",
        [
            basic_auth("u", "wrong"),
            basic_auth("u", PASSWORD),  # right password: Basic is not accepted at all
            basic_auth("nobody", "x"),
            {"Authorization": "Basic %%%"},
            {"Authorization": "Bearer x"},
            {"Authorization": "Bearer bst_" + "A" * 43},  # well-formed, unknown
            {"Authorization": "Bearer"},
            {"Authorization": "Token abc"},
        ],
        ids=lambda h: h["Authorization"][:24],
    )
    def test_wrong_or_junk_credentials_get_401(self, headers: dict[str, str]) -> None:
        make_user(username="u")
        response = Client(enforce_csrf_checks=True).post(
            "/api/orders", "{}", content_type="application/json", headers=headers
        )
        assert (response.status_code, response.json()) == (401, {"detail": CREDENTIALS_REFUSED})
        assert response["WWW-Authenticate"] == 'Bearer realm="bookstore", error="invalid_token"'

    def test_a_token_of_an_inactive_user_is_refused(self) -> None:
        user, _ = make_buyer()
        headers = token_auth(user)
        user.is_active = False
        user.save()
        assert post(Client(), "/api/orders", {"lines": []}, **headers)[0] == 401

    def test_session_auth_needs_the_csrf_token(self) -> None:
        book = make_book(stock=3)
        user, _ = make_buyer()
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        body = {"lines": [{"book_id": book.pk, "quantity": 1}]}
        assert post(client, "/api/orders", body) == (403, {"detail": CSRF_FAILED})
        client.get(f"/books/{book.pk}/reviews/new")  # sets the csrftoken cookie
        token = client.cookies["csrftoken"].value
        assert post(client, "/api/orders", body, **{"X-CSRFToken": token})[0] == 201

    def test_a_token_needs_no_csrf_token(self) -> None:
        book = make_book(stock=3)
        user, _ = make_buyer()
        body = {"lines": [{"book_id": book.pk, "quantity": 1}]}
        client = Client(enforce_csrf_checks=True)
        assert post(client, "/api/orders", body, **token_auth(user))[0] == 201

    def test_book_writes_need_the_permission(self, reader: dict[str, str]) -> None:
        status, body = post(Client(), "/api/books", book_body(make_author().pk), **reader)
        assert (status, body) == (403, {"detail": PERMISSION_DENIED.format(action="create books")})


class TestBooks:
    def test_create_then_conflict_on_the_same_isbn(self, editor: dict[str, str]) -> None:
        author = make_author()
        status, body = post(Client(), "/api/books", book_body(author.pk), **editor)
        assert status == 201
        assert isinstance(body, dict)
        assert (body["isbn"], body["price"], body["author_id"]) == (
            "9780306406157",
            "9.99",
            author.pk,
        )
        status, body = post(Client(), "/api/books", book_body(author.pk), **editor)
        assert (status, body) == (409, {"detail": DUPLICATE_ISBN.format(isbn="9780306406157")})

    def test_unknown_author_is_422(self, editor: dict[str, str]) -> None:
        status, body = post(Client(), "/api/books", book_body(777_777), **editor)
        assert (status, body) == (
            422,
            {"detail": REFERENCE_NOT_FOUND.format(model="Author", id=777_777)},
        )

    def test_put_and_patch(self, editor: dict[str, str]) -> None:
        book = make_book()
        client = Client(headers=editor)
        response = client.put(
            f"/api/books/{book.pk}",
            json.dumps(book_body(book.author_id)),
            content_type="application/json",
        )
        assert (response.status_code, response.json()["title"]) == (200, "Dune")
        response = client.patch(
            f"/api/books/{book.pk}", json.dumps({"price": "1.50"}), content_type="application/json"
        )
        assert (response.status_code, response.json()["price"], response.json()["title"]) == (
            200,
            "1.50",
            "Dune",
        )

    def test_missing_book_is_404_and_huge_ids_are_400(self, editor: dict[str, str]) -> None:
        client = Client(headers=editor)
        assert (
            client.patch(
                "/api/books/424242", '{"title": "x"}', content_type="application/json"
            ).status_code
            == 404
        )
        assert (
            client.patch(
                f"/api/books/{2**64}", '{"title": "x"}', content_type="application/json"
            ).status_code
            == 400
        )


class TestReviewsAndOrders:
    def test_add_review(self, reader: dict[str, str]) -> None:
        book = make_book()
        status, body = post(Client(), f"/api/books/{book.pk}/reviews", {"rating": 5}, **reader)
        assert status == 201
        assert isinstance(body, dict)
        assert (body["book_id"], body["rating"], body["body"]) == (book.pk, 5, "")
        assert post(Client(), "/api/books/999999/reviews", {"rating": 5}, **reader)[0] == 404

    def test_order_replay_returns_the_same_body_with_200(self, reader: dict[str, str]) -> None:
        book = make_book(stock=5)
        body = {"lines": [{"book_id": book.pk, "quantity": 2}]}
        client = Client(headers=reader)
        first = client.post(
            "/api/orders", body, content_type="application/json", headers={"Idempotency-Key": "abc"}
        )
        again = client.post(
            "/api/orders", body, content_type="application/json", headers={"Idempotency-Key": "abc"}
        )
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json() == first.json()
        assert first.json()["total"] == "25.00"
        assert again[REPLAYED_HEADER] == "true"
        assert REPLAYED_HEADER not in first
        assert Order.objects.count() == 1
        other = {**body, "lines": [{"book_id": book.pk, "quantity": 1}]}
        status, detail = post(client, "/api/orders", other, **{"Idempotency-Key": "abc"})
        assert (status, detail) == (422, {"detail": IDEMPOTENCY_CONFLICT.format(key="abc")})

    @pytest.mark.parametrize("key", ["", "has space", "x" * 256, "é"])
    def test_invalid_idempotency_key_is_400(self, reader: dict[str, str], key: str) -> None:
        book = make_book(stock=5)
        body = {"lines": [{"book_id": book.pk, "quantity": 1}]}
        before = snapshot()
        assert post(Client(), "/api/orders", body, **reader, **{"Idempotency-Key": key})[0] == 400
        assert snapshot() == before

    def test_out_of_stock_is_409_naming_the_book(self, reader: dict[str, str]) -> None:
        book = make_book(stock=1, title="Rare")
        body = {"lines": [{"book_id": book.pk, "quantity": 2}]}
        status, detail = post(Client(), "/api/orders", body, **reader)
        assert status == 409
        assert isinstance(detail, dict)
        assert f"book {book.pk} ('Rare')" in detail["detail"]
