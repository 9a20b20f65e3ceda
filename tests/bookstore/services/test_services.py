"""Services over DTOs: correct results, and not one query (each runs in a no-query zone)."""

from datetime import date
from decimal import Decimal

import pytest
from fetchplan.dto import NotLoaded
from fetchplan.observe.pytest_plugin import AssertNoQueries

from bookstore.services.authors import author_name_length, more_by_author, process_author_books
from bookstore.services.pricing import is_backlist, sale_price
from bookstore.services.ratings import rating_summary
from dtos.authors import AuthorRef
from tests.bookstore.services.factories import author_book, author_detail, book_detail

TODAY = date(2026, 11, 25)


def test_rating_summary(assert_no_queries: AssertNoQueries) -> None:
    book = book_detail(stars=(1, 0, 1, 3, 5))
    with assert_no_queries():
        summary = rating_summary(book)
    assert summary.count == 10
    assert summary.average == 4.1
    assert summary.label == "4.1 / 5 from 10 reviews"
    assert [(s.stars, s.count, s.percent) for s in summary.shares] == [
        (5, 5, 50),
        (4, 3, 30),
        (3, 1, 10),
        (2, 0, 0),
        (1, 1, 10),
    ]


def test_rating_summary_without_reviews(assert_no_queries: AssertNoQueries) -> None:
    with assert_no_queries():
        summary = rating_summary(book_detail())
    assert (summary.count, summary.average, summary.label) == (0, None, "No reviews yet")
    assert all(share.percent == 0 for share in summary.shares)


def test_one_review_is_singular(assert_no_queries: AssertNoQueries) -> None:
    with assert_no_queries():
        assert rating_summary(book_detail(stars=(0, 0, 0, 1, 0))).label == "4.0 / 5 from 1 review"


@pytest.mark.parametrize(
    ("published", "price", "expected"),
    [
        (date(2024, 1, 1), "10.00", Decimal("10.00")),  # recent: full price
        (date(2021, 11, 26), "10.00", Decimal("10.00")),  # a day short of five years
        (date(2021, 11, 25), "10.00", Decimal("8.00")),  # exactly five years: backlist
        (date(1990, 1, 1), "9.99", Decimal("7.99")),  # 7.992 rounds to the cent
        (date(1990, 1, 1), "0.05", Decimal("0.04")),  # 0.04 exactly
    ],
)
def test_sale_price(
    assert_no_queries: AssertNoQueries, published: date, price: str, expected: Decimal
) -> None:
    book = book_detail(price=price, published=published)
    with assert_no_queries():
        assert sale_price(book, today=TODAY) == expected


def test_backlist_on_a_leap_day(assert_no_queries: AssertNoQueries) -> None:
    with assert_no_queries():
        assert is_backlist(book_detail(published=date(2019, 2, 28)), today=date(2024, 2, 29))
        assert not is_backlist(book_detail(published=date(2019, 3, 1)), today=date(2024, 2, 29))


def test_author_name_length(assert_no_queries: AssertNoQueries) -> None:
    with assert_no_queries():
        assert author_name_length(AuthorRef(id=1, name="Ada Larsen")) == 10
        assert author_name_length(author_detail(())) == 10


def test_process_author_books(assert_no_queries: AssertNoQueries) -> None:
    books = (
        author_book(1, tags=("poetry", "war"), year=2001),
        author_book(2, tags=("poetry",), year=2010),
        author_book(3, tags=NotLoaded("AuthorBook", "tags"), year=2005),
        author_book(4, tags=("art", "war"), year=1999),
    )
    with assert_no_queries():
        report = process_author_books(author_detail(books), top=2)
    assert report.titles == ("Book 1", "Book 2", "Book 3", "Book 4")
    assert report.top_tags == (("poetry", 2), ("war", 2))
    assert report.newest == "Book 2"


def test_process_author_books_without_books(assert_no_queries: AssertNoQueries) -> None:
    with assert_no_queries():
        report = process_author_books(author_detail(()))
    assert (report.titles, report.top_tags, report.newest) == ((), (), None)


def test_more_by_author_excludes_the_book_itself(assert_no_queries: AssertNoQueries) -> None:
    candidates = [author_book(n) for n in (7, 3, 9, 4)]
    with assert_no_queries():
        more = more_by_author(book_detail(book_id=3), candidates, limit=2)
    assert [book.id for book in more] == [7, 9]
