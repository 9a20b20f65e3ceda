"""Hostile input to every write endpoint: never a 500, and a refused write changes nothing.

Bodies mix the real field names with SQL fragments, NUL bytes, lone surrogates, huge and
non-finite numbers, wrong types and nested junk; some bodies are not JSON at all. Path ids and
the Idempotency-Key header are fuzzed too.
"""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.writes.factories import make_book, make_customer, make_user, snapshot, token_auth

pytestmark = pytest.mark.django_db

FIELDS = ("title", "isbn", "price", "published", "author_id", "publisher_id", "rating", "body",
          "customer_id", "lines", "book_id", "quantity", "id")  # fmt: skip
NASTY_TEXT = st.sampled_from([
    "'; DROP TABLE bookstore_book; --", "1 OR 1=1", "\x00", "a\x00b", "\ud800", "\udfff",
    "%s", "%(x)s", "{0}", "\u202e", "\ufeff", "\U0001d54f" * 300, "", " ", "9780306406157",
    "1e999", "NaN", "-0", "0x10", "2026-02-30", "9999-12-31", "0001-01-01",
])  # fmt: skip
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=2**62, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 5, 2**63 - 1, 2**63, -(2**63), 10**400]),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, NASTY_TEXT, st.text(max_size=50))
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3)
    ),
    max_leaves=8,
)
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8),
    VALUES,
)
RAW_BODIES = st.sampled_from([b"", b"{", b"\x00", b"\xff\xfe", b"[1,2", b'{"a": NaN}', b"null"])
ENDPOINTS = st.sampled_from([
    ("post", "/api/books"), ("put", "/api/books/{id}"), ("patch", "/api/books/{id}"),
    ("post", "/api/books/{id}/reviews"), ("post", "/api/orders"),
])  # fmt: skip
PATH_IDS = st.one_of(
    st.just("{book}"),
    st.sampled_from(["0", "-1", str(2**63), str(10**30), "1.5", "abc", "%00", "1%27%20OR%201=1"]),
)
KEYS = st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["k", "x" * 300, "a b"]))
ALLOWED = {200, 201, 400, 401, 403, 404, 405, 409, 422}


def encode(body: object) -> bytes:
    # ensure_ascii escapes lone surrogates as \\udXXX, exactly what a hostile client sends
    return json.dumps(body, allow_nan=True).encode()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=ENDPOINTS,
    path_id=PATH_IDS,
    body=st.one_of(BODIES.map(encode), RAW_BODIES),
    key=KEYS,
)
def test_no_500_and_nothing_changes_on_refusal(
    endpoint: tuple[str, str],
    path_id: str,
    body: bytes,
    key: str | None,
    seeded: dict[str, int | str],
) -> None:
    method, template = endpoint
    url = template.format(id=path_id.format(book=seeded["book"]))
    auth = {"Authorization": str(seeded["token"])}
    headers = auth if key is None else {**auth, "Idempotency-Key": key}
    before = snapshot()
    response = getattr(Client(), method)(
        url, body, content_type="application/json", headers=headers
    )
    assert response.status_code in ALLOWED, response.content[:500]
    if response.status_code >= 400:
        assert snapshot() == before


@pytest.fixture
def seeded() -> dict[str, int | str]:
    user = make_user(perms=("bookstore.add_book", "bookstore.change_book"), username="fuzzer")
    book = make_book(stock=5)
    customer = make_customer(user=user)
    return {"book": book.pk, "customer": customer.pk, "token": token_auth(user)["Authorization"]}
