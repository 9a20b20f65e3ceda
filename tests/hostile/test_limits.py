"""Rate limits per client address: CSV exports (finding 7)."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from fetchplan.observe import record_queries

from bookstore.throttle import TOO_MANY_REQUESTS
from tests.bookstore.data import seed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@override_settings(BOOKSTORE_EXPORTS_PER_MINUTE=3)
def test_exports_past_the_limit_get_429_with_retry_after() -> None:
    seed(3)
    client = Client(REMOTE_ADDR="10.0.0.1")
    statuses = [client.get("/books/export.csv").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get("/books/export.csv")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert TOO_MANY_REQUESTS.format(what="exports", seconds=refused["Retry-After"]) in (
        refused.content.decode()
    )
    other = Client(REMOTE_ADDR="10.0.0.2")  # another client is not held back
    assert other.get("/books/export.csv").status_code == 200
    assert client.get("/books/").status_code == 200  # nor are the other pages


@override_settings(BOOKSTORE_EXPORTS_PER_MINUTE=1)
def test_a_refused_export_runs_no_query() -> None:
    client = Client(REMOTE_ADDR="10.0.0.3")
    assert client.get("/books/export.csv").status_code == 200
    with record_queries() as recorder:
        assert client.get("/books/export.csv").status_code == 429
    assert recorder.count == 0
