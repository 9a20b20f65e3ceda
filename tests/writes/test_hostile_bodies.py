"""Valid-but-hostile bodies: well-formed requests with extreme values, other users' ids and
keys, unknown references and unicode text, that pass validation and reach the writes.

``test_bad_input.py`` sends malformed bodies: every one of them is refused by validation, so
it says nothing about the write functions (making each write endpoint raise after validation
passed it). Here every body is valid in shape, and the test checks that most requests reach
a repository write function (counted by wrapping them), that none gets a 5xx, that every
refusal wrote nothing, and that every endpoint's write is reached.
"""

import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookstore import api_orders
from bookstore.seeding.generator import isbn13
from dtos.writes import MAX_ID, MAX_ORDER_LINES, MAX_QUANTITY, MAX_REVIEW_BODY
from repos import book_writes, reviews
from tests.writes.factories import (
    make_author,
    make_book,
    make_buyer,
    make_publisher,
    snapshot,
    token_auth,
)

pytestmark = pytest.mark.django_db

MIN_REACHED_SHARE = 0.6
ALLOWED = {200, 201, 403, 404, 409, 422}
TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1
).filter(str.strip)


def ids(real: list[int]) -> st.SearchStrategy[int]:
    """Existing ids, ids that exist for nobody, and the largest id there can be."""
    return st.one_of(st.sampled_from(real), st.integers(1, 10**6), st.just(MAX_ID))


def prices() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["0", "0.00", "999999.99", "0.01"]),
        st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2).map(str),
    )


def dates() -> st.SearchStrategy[str]:
    return st.dates().map(lambda d: d.isoformat())  # year 1 to 9999


def book_bodies(rows: dict[str, list[int]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "title": TEXT.map(lambda t: t[:300]),
            "isbn": st.integers(0, 999_999_999).map(isbn13),
            "price": prices(),
            "published": dates(),
            "author_id": ids(rows["authors"]),
        },
        optional={"publisher_id": st.one_of(st.none(), ids(rows["publishers"]))},
    )


def patch_bodies(rows: dict[str, list[int]]) -> st.SearchStrategy[dict[str, Any]]:
    """Some fields (at least one) of a valid book body."""
    return book_bodies(rows).flatmap(
        lambda body: st.sets(st.sampled_from(sorted(body)), min_size=1).map(
            lambda keys: {key: body[key] for key in keys}
        )
    )


def order_bodies(rows: dict[str, list[int]]) -> st.SearchStrategy[dict[str, Any]]:
    line = st.fixed_dictionaries(
        {"book_id": ids(rows["books"]), "quantity": st.sampled_from([1, 2, MAX_QUANTITY])}
    )
    lines = st.lists(line, min_size=1, max_size=MAX_ORDER_LINES, unique_by=lambda x: x["book_id"])
    own, theirs = rows["own_customer"], rows["their_customer"]
    return st.fixed_dictionaries(
        {"lines": lines},
        optional={"customer_id": st.sampled_from([own[0], theirs[0], MAX_ID, 10**6])},
    )


def requests(rows: dict[str, list[int]]) -> st.SearchStrategy[tuple[str, str, Any, str | None]]:
    book_path = ids(rows["books"]).map(str)
    key = st.one_of(st.none(), st.sampled_from(["mine-1", "theirs-1"]), st.uuids().map(str))
    review = st.fixed_dictionaries(
        {"rating": st.integers(1, 5)},
        optional={"body": TEXT.map(lambda t: t[:MAX_REVIEW_BODY])},
    )
    return st.one_of(
        st.tuples(st.just("post"), st.just("/api/books"), book_bodies(rows), st.none()),
        st.tuples(
            st.just("put"), book_path.map("/api/books/{}".format), book_bodies(rows), st.none()
        ),
        st.tuples(
            st.just("patch"),
            book_path.map("/api/books/{}".format),
            patch_bodies(rows),
            st.none(),
        ),
        st.tuples(
            st.just("post"), book_path.map("/api/books/{}/reviews".format), review, st.none()
        ),
        st.tuples(st.just("post"), st.just("/api/orders"), order_bodies(rows), key),
    )


def counting(calls: Counter[str], name: str, write: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return write(*args, **kwargs)

    return counted


def test_valid_but_hostile_bodies_reach_the_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    user, own = make_buyer(username="hostile")
    user.user_permissions.add(*_book_permissions())
    other, theirs = make_buyer(username="victim")
    books = [make_book(stock=20) for _ in range(3)]
    rows = {
        "authors": [make_author().pk, books[0].author_id],
        "publishers": [make_publisher().pk],
        "books": [book.pk for book in books],
        "own_customer": [own.pk],
        "their_customer": [theirs.pk],
    }
    Client(headers=token_auth(other)).post(  # the victim's key, that the fuzzer reuses
        "/api/orders",
        json.dumps({"lines": [{"book_id": books[0].pk, "quantity": 1}]}),
        content_type="application/json",
        headers={"Idempotency-Key": "theirs-1"},
    )
    calls: Counter[str] = Counter()
    for module, name in ((book_writes, "create_book"), (book_writes, "replace_book"),
                         (book_writes, "patch_book"), (reviews, "add_review"),
                         (api_orders, "place_order")):  # fmt: skip
        monkeypatch.setattr(module, name, counting(calls, name, getattr(module, name)))
    client = Client(headers=token_auth(user))
    sent: Counter[str] = Counter()
    statuses: Counter[int] = Counter()

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(request=requests(rows))
    def send(request: tuple[str, str, Any, str | None]) -> None:
        method, url, body, key = request
        headers = {} if key is None else {"Idempotency-Key": key}
        before, reached = snapshot(), sum(calls.values())
        response = getattr(client, method)(
            url, json.dumps(body), content_type="application/json", headers=headers
        )
        statuses[response.status_code] += 1
        sent["reached" if sum(calls.values()) > reached else "stopped"] += 1
        assert response.status_code in ALLOWED, (url, body, response.content[:300])
        if response.status_code >= 400:
            assert snapshot() == before, (url, body, response.content[:300])
        if response.status_code == 200 and method == "post":  # an order replayed
            assert response.json()["customer_id"] == own.pk  # never the victim's order

    send()
    share = sent["reached"] / (sent["reached"] + sent["stopped"])
    print(
        f"reached the writes: {share:.0%} of {sum(sent.values())}; {dict(calls)}; {dict(statuses)}"
    )
    assert share >= MIN_REACHED_SHARE, (dict(sent), dict(statuses))
    assert set(calls) == {"create_book", "replace_book", "patch_book", "add_review", "place_order"}


def _book_permissions() -> list[Any]:
    from django.contrib.auth.models import Permission

    return list(
        Permission.objects.filter(
            content_type__app_label="bookstore", codename__in=["add_book", "change_book"]
        )
    )
