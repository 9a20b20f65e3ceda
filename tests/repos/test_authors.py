"""Authors, publishers and tags repositories: pinned, flat query counts and their contents."""

from collections.abc import Callable

import pytest
from fetchplan import NotFound
from fetchplan.observe.pytest_plugin import AssertConstantQueries

from bookstore.models import Author, Book, Publisher, Tag
from repos.authors import (
    LATEST_BOOKS,
    PageOutOfRange,
    count_authors,
    get_author,
    get_author_books,
    list_author_books,
    list_authors,
)
from repos.publishers import list_publishers
from repos.tags import get_tag, list_tags
from tests.bookstore.data import LARGE, SMALL, Picked, seed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        (lambda p: list_authors(page=1), 2),
        (lambda p: count_authors(), 1),
        (lambda p: get_author(p.author_id), 3),
        (lambda p: list_author_books(author_id=p.author_id, limit=6), 2),
        (lambda p: get_author_books(p.author_id), 2),
        (lambda p: list_publishers(), 1),
        (lambda p: list_tags(), 1),
        (lambda p: get_tag("poetry"), 1),
    ],
    ids=[
        "list_authors",
        "count_authors",
        "get_author",
        "list_author_books",
        "get_author_books",
        "list_publishers",
        "list_tags",
        "get_tag",
    ],
)
def test_query_count_is_pinned_and_flat(
    assert_constant_queries: AssertConstantQueries,
    run: Callable[[Picked], object],
    expected: int,
) -> None:
    picked = Picked()
    counted = assert_constant_queries(
        lambda: run(picked), small=picked.seeder(SMALL), large=picked.seeder(LARGE)
    )
    assert counted == expected


def test_author_detail_is_flipped_one_author_many_books() -> None:
    seed(200)
    author = max(Author.objects.all(), key=lambda a: a.books.count())
    detail = get_author(author.pk)
    books = list(Book.objects.filter(author=author).order_by("-published", "-id"))
    assert len(books) > LATEST_BOOKS
    assert detail.book_count == len(books)
    assert [b.id for b in detail.books] == [b.pk for b in books[:LATEST_BOOKS]]
    for dto, book in zip(detail.books, books, strict=False):
        assert dto.tags == tuple(sorted(book.tags.values_list("name", flat=True)))


def test_list_author_books_for_an_unknown_author_is_empty() -> None:
    assert list_author_books(author_id=999_999) == []


def test_get_author_raises_not_found() -> None:
    with pytest.raises(NotFound, match="Author matching"):
        get_author(999_999)


def test_authors_come_in_pages_with_counts() -> None:
    seed(120)
    total = Author.objects.count()
    first = list_authors(page=1, per_page=4)
    assert (first.total, first.pages) == (total, -(-total // 4))
    names = [a.name for a in first.items] + [a.name for a in list_authors(page=2, per_page=4).items]
    expected = list(Author.objects.order_by("name", "id").values_list("name", flat=True)[:8])
    assert names == expected
    counts = {a.id: a.book_count for a in first.items}
    assert counts == {pk: Book.objects.filter(author_id=pk).count() for pk in counts}
    with pytest.raises(PageOutOfRange):
        list_authors(page=first.pages + 1, per_page=4)


def test_no_authors_is_one_empty_page() -> None:
    page = list_authors(page=1)
    assert (page.items, page.pages, page.total) == ((), 1, 0)
    assert count_authors() == 0


def test_publishers_and_tags_carry_book_counts() -> None:
    seed(80)
    publishers = list_publishers()
    assert [p.name for p in publishers] == sorted(p.name for p in publishers)
    assert {p.id: p.book_count for p in publishers} == {
        p.pk: Book.objects.filter(publisher=p).count() for p in Publisher.objects.all()
    }
    tags = list_tags()
    assert {t.name: t.book_count for t in tags} == {
        t.name: t.books.count() for t in Tag.objects.all()
    }
    poetry = get_tag("poetry")
    assert poetry.book_count == Tag.objects.get(name="poetry").books.count()


def test_a_tag_without_books_counts_zero() -> None:
    """A tag no book carries is still listed, with 0 (its stored count: no trigger ran)."""
    seed(20)
    Tag.objects.create(name="unused")
    assert {t.name: t.book_count for t in list_tags()}["unused"] == 0
    assert get_tag("unused").book_count == 0


def test_get_tag_raises_not_found() -> None:
    with pytest.raises(NotFound, match="Tag matching"):
        get_tag("no-such-tag")


def test_get_author_books_holds_every_book_once() -> None:
    seed(60)
    author = Author.objects.order_by("id").first()
    assert author is not None
    found = get_author_books(author.pk)
    expected = Book.objects.filter(author=author).order_by("id").values_list("id", flat=True)
    assert [book.id for book in found.books] == list(expected)
