"""The hostile-value matrix: every GET route x every hostile value, on the suite's database.

Each route of the URLconf (walked, so a new route is included) is requested with each hostile
value in each query parameter any route reads, with each path parameter replaced by each
hostile value, and with a parameter given twice. The client is logged in (session) and
carries an API token, so the routes behind authentication are reached too. No answer may be
a 5xx; a streamed body (the CSV export) is read to its end and must be whole; an API error
must be JSON with a message; and what the raw-input screen refuses (NUL, over-long values,
repeated parameters) must be a 400 on every route.

Run on SQLite and on PostgreSQL (``make test`` runs the suite on both): the NUL byte was a
500 on PostgreSQL only, the ints past 64 bits on SQLite only (issue 13, findings 1 and 2).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from bookstore.models import Author, Book, Order, Stock, Tag
from bookstore.views import CSV_HEADER
from dtos.writes import OrderInput, OrderLineInput
from repos.orders import place_order
from tests.bookstore.data import seed
from tests.hostile.routes import Route, all_routes
from tests.writes.factories import make_buyer, token_auth

pytestmark = pytest.mark.django_db

HOSTILE = {
    "nul": "%00",
    "nul inside": "a%00b",
    "lone surrogate (as UTF-8)": "%ED%A0%80",
    "surrogate escape": "%uD800",
    "2**63": str(2**63),
    "-(2**63)-1": str(-(2**63) - 1),
    "10**400": "1" + "0" * 400,
    "1e309": "1e309",
    "NaN": "NaN",
    "-Infinity": "-Infinity",
    "5,000 characters": "x" * 5000,
    "5,000 digits": "9" * 5000,
    "SQL": "%27%20OR%201%3D1%20--",
}
SCREENED = {"nul", "nul inside", "5,000 characters", "5,000 digits"}  # 400 on every route
PARAMETERS = ("tag", "author", "publisher", "price_min", "price_max", "q", "sort", "cursor",
              "limit", "page", "before", "next")  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One request of the matrix and whether the raw-input screen must refuse it."""

    url: str
    screened: bool


@pytest.fixture
def client() -> Client:
    """A logged-in client with an API token, whose customer has placed one order."""
    seed(5)
    user, customer = make_buyer(username="matrix")
    book = Book.objects.earliest("pk")
    Stock.objects.filter(book=book).update(on_hand=10)
    lines = (OrderLineInput(book_id=book.pk, quantity=1),)
    place_order(order=OrderInput(customer_id=customer.pk, lines=lines), placed_by=user.pk)
    client = Client(headers=token_auth(user))
    client.force_login(user)
    return client


def valid_path_values() -> dict[str, str]:
    """Return an existing row's value for each path parameter name the URLconf uses."""
    book, author, tag, order = (
        model.objects.earliest("pk") for model in (Book, Author, Tag, Order)
    )
    return {
        "book_id": str(book.pk),
        "author_id": str(author.pk),
        "name": str(tag),
        "order_id": str(order.pk),
    }


def cases(route: Route, valid: dict[str, str]) -> Iterator[Case]:
    base = route.url(valid)
    for parameter in PARAMETERS:
        for label, value in HOSTILE.items():
            yield Case(f"{base}?{parameter}={value}", screened=label in SCREENED)
        yield Case(f"{base}?{parameter}=1&{parameter}=2", screened=True)
    for name in route.parameters:
        for label, value in HOSTILE.items():
            yield Case(route.url({**valid, name: value}), screened=label == "nul inside")


def body_of(response: object) -> bytes:
    """Return the whole body, reading a streamed one to its end (an error mid-stream raises)."""
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)  # type: ignore[arg-type]  # sync: bytes
    content = getattr(response, "content", b"")
    assert isinstance(content, bytes)
    return content


def check(route: Route, case: Case, client: Client) -> str | None:
    """Return what is wrong with the answer to ``case``, or None."""
    response = client.get(case.url)
    status = response.status_code
    body = body_of(response)
    if status >= 500:
        return f"{status}: {body[:200]!r}"
    if case.screened and status != 400:
        return f"{status}, expected the screen's 400"
    content_type = response.get("Content-Type", "")
    is_json = content_type.startswith("application/json") and b'"detail"' in body
    if route.is_api and status >= 400 and not is_json:
        return f"{status} is not a JSON error: {content_type} {body[:100]!r}"
    if content_type.startswith("text/csv") and status == 200:
        rows = list(csv.reader(io.StringIO(body.decode())))
        if not body.endswith(b"\r\n") or any(len(row) != len(CSV_HEADER) for row in rows):
            return f"cut-off CSV: {len(body)} bytes ending {body[-40:]!r}"
    return None


def test_every_get_route_survives_every_hostile_value(client: Client) -> None:
    routes = all_routes()
    assert len(routes) >= 15  # the walk reaches pages, export, API and the writes' routes
    valid = valid_path_values()
    failures: list[str] = []
    requests = 0
    for route in routes:
        plain = client.get(route.url(valid))  # the client gets past authentication everywhere
        if plain.status_code in (401, 403) or plain.status_code >= 500:
            failures.append(f"GET {route.url(valid)} without hostile values: {plain.status_code}")
        for case in cases(route, valid):
            requests += 1
            problem = check(route, case, client)
            if problem is not None:
                failures.append(f"GET {case.url[:120]}: {problem}")
    print(f"{requests} requests over {len(routes)} routes")
    assert failures == [], "\n".join(failures[:30])


# The findings of issue 13, one request each, by name (the matrix covers them too).
FINDINGS = [
    ("/books/?q=%00", 400, "q: Text must not contain NUL characters."),
    ("/api/books?tag=%00", 400, "tag: Text must not contain NUL characters."),
    ("/tags/%00/", 400, "Text must not contain NUL characters."),
    ("/books/export.csv?q=%00", 400, "q: Text must not contain NUL characters."),
    (f"/books/?author={2**63}", 400, "author: Input should be less than or equal to"),
    (f"/api/books?publisher={2**63}", 400, "publisher: Input should be less than or equal to"),
    (f"/tags/x/?author={2**63}", 400, "author: Input should be less than or equal to"),
    (f"/books/export.csv?author={2**63}", 400, "author: Input should be less than or equal to"),
    ("/books/?q=a&q=b", 400, "q: given 2 times; give it once."),
    ("/api/books?limit=1e309", 400, "limit: Input should be a valid integer"),
    ("/api/books?price_min=NaN", 400, "price_min: Input should be a finite number"),
]


@pytest.mark.parametrize(("url", "status", "message"), FINDINGS)
def test_findings_1_and_2_are_400_with_a_message(
    client: Client, url: str, status: int, message: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert message in body_of(response).decode()
