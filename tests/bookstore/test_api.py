"""The JSON API: DTOs as responses, pinned query counts, cursors, the OpenAPI schema."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from fetchplan.observe.pytest_plugin import AssertConstantQueries

from dtos.books import BookFilters
from repos.authors import get_author
from repos.books import get_book, list_books
from tests.bookstore.data import LARGE, SMALL, Picked, seed

pytestmark = pytest.mark.django_db


def get_json(client: Client, url: str, params: dict[str, str] | None = None) -> Any:
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.content[:500])
    return json.loads(response.content)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (lambda p: "/api/books", 2),
        (lambda p: f"/api/books?tag={p.tag}&author={p.author_id}&sort=-rating", 2),
        (lambda p: f"/api/books/{p.book_id}", 3),
        (lambda p: "/api/authors", 2),
        (lambda p: f"/api/authors/{p.author_id}", 3),
    ],
    ids=["books", "books filtered", "book", "authors", "author"],
)
def test_endpoint_query_count_is_pinned_and_flat(
    client: Client,
    assert_constant_queries: AssertConstantQueries,
    url: Callable[[Picked], str],
    expected: int,
) -> None:
    picked = Picked()
    counted = assert_constant_queries(
        lambda: get_json(client, url(picked)),
        small=picked.seeder(SMALL),
        large=picked.seeder(LARGE),
    )
    assert counted == expected


def test_books_endpoint_returns_the_repository_page_and_its_cursor(client: Client) -> None:
    seed(30)
    filters = BookFilters(sort="-price")
    first = get_json(client, "/api/books", {"sort": "-price", "limit": "10"})
    assert first == json.loads(list_books(filters=filters, limit=10).model_dump_json())
    second = get_json(
        client, "/api/books", {"sort": "-price", "limit": "10", "cursor": first["next_cursor"]}
    )
    expected = list_books(filters=filters, cursor=first["next_cursor"], limit=10)
    assert second == json.loads(expected.model_dump_json())
    assert {row["id"] for row in first["items"]}.isdisjoint(row["id"] for row in second["items"])


def test_detail_endpoints_return_the_dtos(client: Client) -> None:
    seed(30)
    first_id = get_json(client, "/api/books", {"limit": "1"})["items"][0]["id"]
    body = get_json(client, f"/api/books/{first_id}")
    assert body == json.loads(get_book(first_id).model_dump_json())
    author_id = body["author"]["id"]
    assert get_json(client, f"/api/authors/{author_id}") == json.loads(
        get_author(author_id).model_dump_json()
    )
    authors = get_json(client, "/api/authors", {"page": "1"})
    assert authors["page"] == 1
    assert authors["total"] >= len(authors["items"]) > 0


def test_openapi_schema_uses_the_dtos(client: Client) -> None:
    schema = get_json(client, "/api/openapi.json")
    assert {
        "/api/books",
        "/api/books/{book_id}",
        "/api/authors",
        "/api/authors/{author_id}",
    } <= set(schema["paths"])
    components = schema["components"]["schemas"]
    assert {"BookPage", "BookDetail", "AuthorDetail", "ErrorDTO"} <= set(components)
    parameters = {p["name"] for p in schema["paths"]["/api/books"]["get"]["parameters"]}
    assert {"tag", "author", "price_min", "q", "sort", "cursor", "limit"} <= parameters


def test_docs_page_is_served(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


SCHEMA_AND_KIND = """
import inspect, json, django
django.setup()
from bookstore.api import api
from bookstore.api_routes import routes
views = [op.view_func for path in ("/books", "/books/{book_id}")
         for op in routes.path_operations[path].operations if op.methods == ["GET"]]
schema = api.get_openapi_schema()
print(json.dumps({"schema": schema, "async": [inspect.iscoroutinefunction(v) for v in views]}))
"""


@pytest.mark.parametrize("sync_reads", ["0", "1"])
def test_the_sync_read_switch_serves_the_same_schema(sync_reads: str) -> None:
    """BOOKSTORE_SYNC_API_READS (make load's comparison) swaps the views, not the API."""
    import os
    import subprocess
    import sys

    def run(flag: str) -> dict[str, Any]:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
               "BOOKSTORE_SYNC_API_READS": flag}  # fmt: skip
        done = subprocess.run([sys.executable, "-c", SCHEMA_AND_KIND], env=env,
                              capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
        result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        return result

    chosen, default = run(sync_reads), run("")
    assert chosen["async"] == [sync_reads == "0"] * 2
    assert chosen["schema"] == default["schema"]
