"""Bad input on pages and API: 404 for unknown rows, 400 with a message, never a 500."""

import json

import pytest
from django.test import Client

from bookstore.presentation import NO_SUCH_ID, NO_SUCH_NAME
from repos.cursors import encode_cursor
from tests.bookstore.data import make_book, seed

pytestmark = pytest.mark.django_db

HUGE_ID = "9" * 30
LONG = "x" * 201
NO_BOOK = NO_SUCH_ID.format(noun="book", value=999999)
NO_AUTHOR = NO_SUCH_ID.format(noun="author", value=999999)

PAGE_CASES = [
    ("/books/999999/", 404, NO_BOOK),
    (f"/books/{HUGE_ID}/", 400, "book_id: must be a whole number between 1 and"),
    ("/books/0/", 400, "book_id: must be a whole number between 1 and"),
    ("/authors/999999/", 404, NO_AUTHOR),
    ("/tags/no-such-tag/", 404, NO_SUCH_NAME.format(noun="tag", value="no-such-tag")),
    ("/authors/?page=abc", 400, "page: Input should be a valid integer"),
    ("/authors/?page=0", 400, "page: Input should be greater than or equal to 1"),
    ("/authors/?page=99", 404, "past the last page"),
    ("/books/?limit=abc", 400, "limit: Input should be a valid integer"),
    ("/books/?limit=1000", 400, "limit: Input should be less than or equal to 100"),
    ("/books/?cursor=abc", 400, "Invalid cursor"),
    ("/books/?price_min=-1", 400, "price_min"),
    ("/books/?price_min=abc", 400, "price_min"),
    ("/books/?price_min=9&price_max=1", 400, "price_min must not be greater than price_max"),
    ("/books/?sort=password", 400, "sort"),
    (f"/books/?q={LONG}", 400, "at most 200 characters"),
    ("/books/?author=abc", 400, "author"),
    ("/books/export.csv?sort=password", 400, "sort"),
    ("/tags/poetry/?cursor=abc", 400, "Invalid cursor"),
]


@pytest.mark.parametrize(("url", "status", "message"), PAGE_CASES)
def test_pages_answer_bad_input_with_a_message(
    client: Client, url: str, status: int, message: str
) -> None:
    seed(3)
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode()


API_CASES = [
    ("/api/books/999999", 404, NO_BOOK),
    (f"/api/books/{HUGE_ID}", 400, "book_id: Input should be less than or equal to"),
    ("/api/books/0", 400, "book_id: Input should be greater than or equal to 1"),
    ("/api/books/abc", 400, "book_id"),
    ("/api/authors/999999", 404, NO_AUTHOR),
    ("/api/authors?page=abc", 400, "page"),
    ("/api/authors?page=99", 404, "past the last page"),
    ("/api/books?page=abc&cursor=abc", 400, "Invalid cursor"),
    ("/api/books?limit=0", 400, "limit"),
    ("/api/books?price_min=-1", 400, "price_min"),
    ("/api/books?price_min=9&price_max=1", 400, "price_min must not be greater"),
    ("/api/books?sort=password", 400, "sort"),
    (f"/api/books?q={LONG}", 400, "q"),
]


@pytest.mark.parametrize(("url", "status", "message"), API_CASES)
def test_api_answers_bad_input_with_json(
    client: Client, url: str, status: int, message: str
) -> None:
    seed(3)
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert message in json.loads(response.content)["detail"]


def test_a_cursor_of_another_sort_is_a_400(client: Client) -> None:
    token = encode_cursor(sort="title", value="A", last_id=1)
    assert client.get(f"/books/?sort=price&cursor={token}").status_code == 400
    assert client.get(f"/api/books?sort=price&cursor={token}").status_code == 400


@pytest.mark.parametrize("search", ["%", "_", "' OR 1=1 --", "\\", "%%%"])
def test_search_with_sql_or_wildcards_finds_nothing_by_accident(
    client: Client, search: str
) -> None:
    make_book("Plain title", isbn="9780000000001")
    page = client.get("/books/", {"q": search})
    api = client.get("/api/books", {"q": search})
    assert page.status_code == 200
    assert "Plain title" not in page.content.decode()
    assert json.loads(api.content)["items"] == []
