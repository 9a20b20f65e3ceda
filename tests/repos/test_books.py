"""Books repository: exact query counts, flat from 10 to 1,000 books; filters, sorts, pages."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import get_args

import pytest
from fetchplan import NotFound
from fetchplan.observe.pytest_plugin import AssertConstantQueries, AssertNumQueries

from bookstore.models import Book, Review, Stock, Tag
from dtos.books import SORT_KEYS, BookFilters, BookRow, SortKey
from repos.books import (
    book_exists,
    count_books,
    get_book,
    list_books,
    list_bylines,
    list_good_reviews,
    list_recent_books,
    stream_books,
)
from repos.cursors import InvalidCursor, encode_cursor
from tests.bookstore.data import LARGE, SMALL, Picked, make_book, seed

pytestmark = pytest.mark.django_db

INJECTION_TITLE = "Robert'); DROP TABLE books; --"


def walk(filters: BookFilters, *, limit: int) -> list[BookRow]:
    """Return every row of every page, following the cursors."""
    rows: list[BookRow] = []
    cursor: str | None = None
    while True:
        page = list_books(filters=filters, cursor=cursor, limit=limit)
        rows.extend(page.items)
        if page.next_cursor is None:
            return rows
        cursor = page.next_cursor


# -- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "run", "expected"),
    [
        ("list_books", lambda p: list_books(filters=BookFilters(sort="-rating"), limit=20), 2),
        (
            "list_books filtered, next page",
            lambda p: list_books(
                filters=BookFilters(price_min=Decimal(1), author=p.author_id, sort="price"),
                cursor=encode_cursor(sort="price", value="0.50", last_id=1),
            ),
            2,
        ),
        (
            "list_books, previous page",
            lambda p: list_books(
                filters=BookFilters(sort="-rating"),
                cursor=encode_cursor(sort="-rating", value=2.5, last_id=p.book_id, backward=True),
            ),
            2,
        ),
        ("get_book", lambda p: get_book(p.book_id), 3),
        ("count_books", lambda p: count_books(filters=BookFilters(q="the")), 1),
        ("book_exists", lambda p: book_exists(filters=BookFilters(tag="poetry")), 1),
        ("list_recent_books", lambda p: list_recent_books(limit=12), 1),
        ("list_bylines", lambda p: list_bylines(limit=8), 1),
        ("list_good_reviews", lambda p: list_good_reviews(limit=8), 2),
    ],
)
def test_query_count_is_pinned_and_flat(
    assert_constant_queries: AssertConstantQueries,
    name: str,
    run: Callable[[Picked], object],
    expected: int,
) -> None:
    picked = Picked()
    counted = assert_constant_queries(
        lambda: run(picked), small=picked.seeder(SMALL), large=picked.seeder(LARGE)
    )
    assert counted == expected, name


def test_stream_runs_one_query_plus_one_per_chunk(assert_num_queries: AssertNumQueries) -> None:
    seed(25)
    with assert_num_queries(1 + 3):  # rows; tags for chunks of 10, 10, 5
        rows = list(stream_books(filters=BookFilters(sort="price"), chunk_size=10))
    assert [row.id for row in rows] == [row.id for row in walk(BookFilters(sort="price"), limit=7)]


# -- sorting and keyset pages ------------------------------------------------------------------


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_pages_cover_every_book_once_in_the_sort_order(sort: SortKey) -> None:
    seed(40)
    filters = BookFilters(sort=sort)
    walked = walk(filters, limit=7)
    whole = list_books(filters=filters, limit=100).items
    assert [row.id for row in walked] == [row.id for row in whole]
    assert len(walked) == Book.objects.count()
    field, reverse = sort.removeprefix("-"), sort.startswith("-")
    if field != "title":  # title order is the database's collation

        def key(row: BookRow) -> tuple[object, int]:
            value = (row.average_rating or 0.0) if field == "rating" else getattr(row, field)
            return (value, row.id)

        assert walked == sorted(walked, key=key, reverse=reverse)


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_previous_links_walk_back_through_the_same_pages(sort: SortKey) -> None:
    seed(40)
    filters = BookFilters(sort=sort)
    forward = [list_books(filters=filters, limit=7)]
    while forward[-1].next_cursor is not None:
        forward.append(list_books(filters=filters, cursor=forward[-1].next_cursor, limit=7))
    assert forward[0].prev_cursor is None
    backward = [forward[-1]]
    while backward[-1].prev_cursor is not None:
        backward.append(list_books(filters=filters, cursor=backward[-1].prev_cursor, limit=7))
    assert [page.items for page in backward] == [page.items for page in reversed(forward)]
    assert len(forward) == 6  # 40 books, 7 a page
    # Back on the first page, its next link leads to the second page again.
    second = list_books(filters=filters, cursor=backward[-1].next_cursor, limit=7)
    assert second.items == forward[1].items


def test_every_sort_key_is_covered() -> None:
    assert set(SORT_KEYS) == set(get_args(SortKey))


def test_the_last_page_has_no_cursor() -> None:
    seed(5)
    assert list_books(filters=BookFilters(), limit=5).next_cursor is None
    assert list_books(filters=BookFilters(), limit=4).next_cursor is not None


@pytest.mark.parametrize("token", ["garbage", encode_cursor(sort="title", value="A", last_id=1)])
def test_a_bad_cursor_is_refused(token: str) -> None:
    with pytest.raises(InvalidCursor):
        list_books(filters=BookFilters(sort="price"), cursor=token)


def test_a_signed_cursor_with_a_bad_value_is_refused() -> None:
    token = encode_cursor(sort="published", value="not a date", last_id=1)
    with pytest.raises(InvalidCursor, match="published value"):
        list_books(filters=BookFilters(sort="published"), cursor=token)


# -- rows and filters --------------------------------------------------------------------------


def test_rows_carry_names_tags_and_review_aggregates() -> None:
    seed(30)
    for row in walk(BookFilters(), limit=10):
        book = Book.objects.select_related("author", "publisher").get(pk=row.id)
        ratings = list(Review.objects.filter(book=book).values_list("rating", flat=True))
        assert row.author_name == book.author.name
        assert row.publisher_name == (book.publisher.name if book.publisher else None)
        assert row.tags == tuple(sorted(book.tags.values_list("name", flat=True)))
        assert row.review_count == len(ratings)
        if ratings:
            assert row.average_rating == pytest.approx(sum(ratings) / len(ratings))
        else:
            assert row.average_rating is None


def test_filters_select_the_matching_books() -> None:
    seed(60)
    everything = walk(BookFilters(), limit=100)
    some = everything[len(everything) // 2]
    book = Book.objects.get(pk=some.id)
    cases: list[tuple[BookFilters, Callable[[BookRow], bool]]] = [
        (BookFilters(tag="poetry"), lambda r: "poetry" in r.tags),
        (BookFilters(author=book.author_id), lambda r: r.author_id == book.author_id),
        (
            BookFilters(publisher=book.publisher_id),
            lambda r: r.publisher_name == some.publisher_name,
        ),
        (
            BookFilters(price_min=Decimal(20), price_max=Decimal(60)),
            lambda r: Decimal(20) <= r.price <= Decimal(60),
        ),
        (
            BookFilters(q=some.title[2:8].upper()),
            lambda r: some.title[2:8].lower() in r.title.lower(),
        ),
    ]
    for filters, wanted in cases:
        expected = [row.id for row in everything if wanted(row)]
        assert expected, filters
        assert [row.id for row in walk(filters, limit=9)] == expected, filters
        assert count_books(filters=filters) == len(expected)
        assert book_exists(filters=filters)


def test_tag_filter_does_not_multiply_review_counts() -> None:
    seed(40)
    tag = Tag.objects.filter(books__reviews__isnull=False).first()
    assert tag is not None
    tagged = walk(BookFilters(tag=tag.name), limit=100)
    everything = {row.id: row for row in walk(BookFilters(), limit=100)}
    assert tagged
    assert all(row == everything[row.id] for row in tagged)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("%", ["100% cotton"]),
        ("_", ["snake_case"]),
        ("0%", ["100% cotton"]),
        ("'); DROP TABLE books; --", [INJECTION_TITLE]),
    ],
)
def test_search_text_is_plain_text(search: str, expected: list[str]) -> None:
    titles = ["100% cotton", "1000 cottons", "snake_case", "snakeXcase", INJECTION_TITLE]
    for number, title in enumerate(titles):
        make_book(title, isbn=f"97800000{number:05d}")
    found = [row.title for row in walk(BookFilters(q=search), limit=10)]
    assert found == expected
    assert Book.objects.count() == len(titles)  # the table is still there


def test_no_match_means_nothing_exists() -> None:
    seed(5)
    filters = BookFilters(q="no title has this")
    assert list_books(filters=filters).items == ()
    assert count_books(filters=filters) == 0
    assert not book_exists(filters=filters)


# -- book detail -------------------------------------------------------------------------------


def test_get_book_loads_everything_its_page_shows() -> None:
    seed(30)
    book = max(Book.objects.all(), key=lambda b: b.reviews.count())
    detail = get_book(book.pk)
    reviews = list(Review.objects.filter(book=book).order_by("-created", "-id"))
    assert len(reviews) > 5
    assert [r.id for r in detail.reviews] == [r.pk for r in reviews[:5]]
    assert detail.review_count == len(reviews)
    stars = [detail.stars_1, detail.stars_2, detail.stars_3, detail.stars_4, detail.stars_5]
    assert stars == [sum(r.rating == n for r in reviews) for n in range(1, 6)]
    assert detail.on_hand == Stock.objects.get(book=book).on_hand
    assert detail.author.name == book.author.name
    assert detail.tags == tuple(sorted(book.tags.values_list("name", flat=True)))


def test_a_book_without_stock_publisher_or_reviews() -> None:
    book = make_book("Lonely", isbn="9780000099999")
    detail = get_book(book.pk)
    assert (detail.on_hand, detail.publisher, detail.reviews) == (None, None, ())
    assert (detail.review_count, detail.average_rating, detail.tags) == (0, None, ())


def test_get_book_raises_not_found() -> None:
    with pytest.raises(NotFound, match="Book matching"):
        get_book(123456)


def test_recent_books_are_newest_first() -> None:
    seed(20)
    recent = list_recent_books(limit=5)
    published: list[date] = [book.published for book in recent]
    assert published == sorted(published, reverse=True)
    assert published[0] == max(Book.objects.values_list("published", flat=True))


def test_good_reviews_are_filtered_in_the_database() -> None:
    seed(20)
    for book in list_good_reviews(limit=20):
        expected = Review.objects.filter(book_id=book.id, rating__gte=4)
        assert sorted(r.id for r in book.reviews) == sorted(expected.values_list("id", flat=True))


def test_bylines_share_one_author_dto_per_author() -> None:
    seed(40)
    bylines = list_bylines(limit=40)
    by_author: dict[int, set[int]] = {}
    for book in bylines:
        by_author.setdefault(book.author.id, set()).add(id(book.author))
    assert all(len(objects) == 1 for objects in by_author.values())
    assert len(bylines) == 40
