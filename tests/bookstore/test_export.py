"""The CSV export streams: a streaming response, correct rows, queries per chunk."""

import csv
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from fetchplan.observe.pytest_plugin import AssertConstantQueries, AssertNumQueries

from bookstore import views
from dtos.books import BookFilters
from tests.bookstore.data import LARGE, SMALL, seed
from tests.repos.test_books import walk

pytestmark = pytest.mark.django_db


def streamed(response: object) -> bytes:
    """Return the body of a streaming response (django-stubs types test responses as plain)."""
    assert isinstance(response, StreamingHttpResponse)
    return response.getvalue()


def read_csv(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = streamed(response).decode()
    return list(csv.reader(io.StringIO(body)))


def test_export_has_a_header_and_one_line_per_matching_book(client: Client) -> None:
    seed(30)
    lines = read_csv(client, "/books/export.csv?sort=-price&price_min=20")
    assert lines[0] == list(views.CSV_HEADER)
    rows = walk(BookFilters(sort="-price", price_min=Decimal(20)), limit=100)
    assert [int(line[0]) for line in lines[1:]] == [row.id for row in rows]
    for line, row in zip(lines[1:], rows, strict=True):
        assert line[1] == row.title
        assert line[3] == str(row.price)
        assert line[5] == row.author_name
        assert line[7] == ";".join(row.tags)
        assert int(line[8]) == row.review_count


def test_export_quotes_commas_and_quotes(client: Client) -> None:
    from tests.bookstore.data import make_book

    make_book('Say "hi", then go', isbn="9780000000001")
    lines = read_csv(client, "/books/export.csv")
    assert lines[1][1] == 'Say "hi", then go'


def test_export_runs_one_query_plus_one_per_chunk(
    client: Client, assert_num_queries: AssertNumQueries, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(25)
    monkeypatch.setattr(views, "EXPORT_CHUNK_SIZE", 10)
    with assert_num_queries(1 + 1 + 3):  # the count; the rows; tags for chunks of 10, 10 and 5
        lines = read_csv(client, "/books/export.csv")
    assert len(lines) == 1 + 25


def test_export_queries_do_not_depend_on_the_data_within_a_chunk(
    client: Client, assert_constant_queries: AssertConstantQueries
) -> None:
    counted = assert_constant_queries(
        lambda: read_csv(client, "/books/export.csv"),
        small=lambda: seed(SMALL),
        large=lambda: seed(LARGE),
    )
    assert counted == 3  # the count; 1,000 books fit one 2,000-book chunk: rows and tags


def test_export_is_lazy_until_read(client: Client, assert_num_queries: AssertNumQueries) -> None:
    seed(5)
    with assert_num_queries(1):  # the count that checks the export's size limit
        response = client.get("/books/export.csv")
    with assert_num_queries(2):
        assert len(streamed(response).splitlines()) == 6


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_a_spreadsheet_would_run_are_made_text(client: Client, start: str) -> None:
    from tests.bookstore.data import make_book

    title = f'{start}HYPERLINK("http://evil.example","x")'
    book = make_book(title, isbn="9780000000001")
    book.author.name = f"{start}cmd|' /C calc'!A0"
    book.author.save()
    lines = read_csv(client, "/books/export.csv")
    assert lines[1][1] == f"'{title}"
    assert lines[1][5] == f"'{book.author.name}"


def test_plain_cells_are_unchanged(client: Client) -> None:
    from tests.bookstore.data import make_book

    make_book("Plain; with = inside", isbn="9780000000001")
    assert read_csv(client, "/books/export.csv")[1][1] == "Plain; with = inside"


def test_an_export_past_the_limit_is_a_400_before_any_row(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(12)
    monkeypatch.setattr(views, "EXPORT_MAX_ROWS", 10)
    response = client.get("/books/export.csv")
    assert response.status_code == 400
    assert views.EXPORT_TOO_LARGE.format(count=12, limit=10) in response.content.decode()
    assert len(read_csv(client, "/books/export.csv?price_max=0.01")) == 1  # narrowed: fine
