"""HTML pages: pinned query counts, flat from 10 to 1,000 books, and what they show."""

import re
from collections.abc import Callable

import pytest
from django.test import Client
from fetchplan.observe.pytest_plugin import AssertConstantQueries

from bookstore.models import Author, Book, Tag
from tests.bookstore.data import LARGE, SMALL, Picked, seed

pytestmark = pytest.mark.django_db


def get_ok(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    return response.content.decode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (lambda p: "/", 1),
        # page of books; their tags; the count; the tag and publisher menus
        (lambda p: "/books/", 5),
        (lambda p: "/books/?sort=-rating&limit=50", 5),
        (
            lambda p: (
                f"/books/?tag={p.tag}&price_min=0&price_max=9999&q={p.title_word}"
                f"&author={p.author_id}&sort=-published"
            ),
            5,
        ),
        (lambda p: f"/books/{p.book_id}/", 5),  # book; tags; reviews; more by author; tags
        (lambda p: "/authors/", 2),  # count; page
        (lambda p: f"/authors/{p.author_id}/", 3),  # author; books; tags
        (lambda p: "/publishers/", 1),
        (lambda p: f"/tags/{p.tag}/", 3),  # tag; books; their tags
    ],
    ids=[
        "home",
        "books",
        "books by rating",
        "books filtered",
        "book",
        "authors",
        "author",
        "publishers",
        "tag",
    ],
)
def test_page_query_count_is_pinned_and_flat(
    client: Client,
    assert_constant_queries: AssertConstantQueries,
    url: Callable[[Picked], str],
    expected: int,
) -> None:
    picked = Picked()
    counted = assert_constant_queries(
        lambda: get_ok(client, url(picked)),
        small=picked.seeder(SMALL),
        large=picked.seeder(LARGE),
    )
    assert counted == expected


def follow(client: Client, url: str, rel: str) -> list[tuple[str, list[str]]]:
    """Return (url, book ids) of each page from ``url`` on, following its ``rel`` links."""
    pages: list[tuple[str, list[str]]] = []
    next_url: str | None = url
    while next_url:
        body = get_ok(client, next_url)
        pages.append((next_url, re.findall(r'<a href="/books/(\d+)/">', body)))
        found = re.search(rf'<a href="(\?[^"]*)" rel="{rel}">', body)
        next_url = "/books/" + found.group(1).replace("&amp;", "&") if found else None
    return pages


def test_books_page_follows_its_next_links_through_every_book(client: Client) -> None:
    seed(25)
    pages = follow(client, "/books/?sort=-price&limit=10", "next")
    expected = Book.objects.order_by("-price", "-id").values_list("id", flat=True)
    assert [pk for _, ids in pages for pk in ids] == [str(pk) for pk in expected]
    assert len(pages) == 3


def test_books_page_walks_back_with_its_previous_links(client: Client) -> None:
    seed(25)
    forward = follow(client, "/books/?sort=-price&limit=10", "next")
    last_url = forward[-1][0]
    backward = follow(client, last_url, "prev")
    assert [ids for _, ids in backward] == [ids for _, ids in forward[::-1]]
    assert "First page" not in get_ok(client, "/books/?sort=-price&limit=10")
    assert "First page" in get_ok(client, last_url)


def test_books_page_shows_filters_count_and_export_link(client: Client) -> None:
    seed(30)
    body = get_ok(client, "/books/?tag=poetry&sort=price")
    total = Tag.objects.get(name="poetry").books.count()
    assert f"{total} book" in body
    assert '<option value="poetry" selected>' in body
    assert 'href="/books/export.csv?tag=poetry&amp;sort=price"' in body


def test_books_page_shows_active_filters_as_removable_chips(client: Client) -> None:
    seed(30)
    book = Book.objects.select_related("author", "publisher").exclude(publisher=None).first()
    assert book is not None
    assert book.publisher is not None
    url = f"/books/?author={book.author_id}&publisher={book.publisher_id}&sort=-price&q="
    body = get_ok(client, url)
    assert f'<span class="chip-label">Author: {book.author.name}</span>' in body
    assert f'<span class="chip-label">Publisher: {book.publisher.name}</span>' in body
    # Each chip links to the page without its own filter (and without the empty q).
    assert f'href="/books/?publisher={book.publisher_id}&amp;sort=-price"' in body
    assert f'href="/books/?author={book.author_id}&amp;sort=-price"' in body
    assert '<a href="/books/?sort=-price">Clear all filters</a>' in body
    assert f'<option value="{book.publisher_id}" selected>{book.publisher.name}</option>' in body
    assert f'<option value="{book.author_id}" selected>{book.author.name}</option>' in body
    assert 'class="chip' not in get_ok(client, "/books/?sort=-price")


def test_sort_menus_show_words_not_keys(client: Client) -> None:
    seed(5)
    body = get_ok(client, "/books/?sort=-rating")
    assert '<option value="-rating" selected>Best rated first</option>' in body
    assert ">-title<" not in body
    tag_page = get_ok(client, "/tags/poetry/?sort=price")
    assert "<strong>Price, lowest first</strong>" in tag_page
    assert '<a href="?sort=-title">Title, Z to A</a>' in tag_page


def test_home_page_links_titles_and_authors(client: Client) -> None:
    seed(20)
    body = get_ok(client, "/")
    latest = Book.objects.select_related("author").order_by("-published", "-id").first()
    assert latest is not None
    assert f'<a href="/books/{latest.pk}/">{latest.title}</a>' in body
    assert f'<a href="/authors/{latest.author_id}/">{latest.author.name}</a>' in body


def test_book_page_links_to_the_review_form(client: Client) -> None:
    seed(5)
    book = Book.objects.order_by("id").first()
    assert book is not None
    body = get_ok(client, f"/books/{book.pk}/")
    assert f'href="/books/{book.pk}/reviews/new">Write a review</a>' in body
    assert "you will be asked to log in" in body


def test_book_page_shows_the_book(client: Client) -> None:
    seed(30)
    book = Book.objects.select_related("author").order_by("id").first()
    assert book is not None
    body = get_ok(client, f"/books/{book.pk}/")
    assert book.title in body
    assert f'<a href="/authors/{book.author_id}/">{book.author.name}</a>' in body
    assert "Ratings" in body
    assert "Latest reviews" in body


def test_author_page_shows_latest_books_with_tags(client: Client) -> None:
    seed(30)
    author = Author.objects.order_by("id").first()
    assert author is not None
    body = get_ok(client, f"/authors/{author.pk}/")
    latest = Book.objects.filter(author=author).order_by("-published", "-id").first()
    assert latest is not None
    assert author.name in body
    assert latest.title in body
    for tag in latest.tags.all():
        assert f'href="/tags/{tag.name}/"' in body


def test_lists_link_to_their_rows(client: Client) -> None:
    seed(30)
    author = Author.objects.order_by("name", "id").first()
    assert author is not None
    assert f'href="/authors/{author.pk}/"' in get_ok(client, "/authors/")
    assert "Publishers" in get_ok(client, "/publishers/")
    tagged = Tag.objects.get(name="poetry").books.order_by("title", "id").first()
    assert tagged is not None
    assert tagged.title in get_ok(client, "/tags/poetry/")


def test_every_page_has_the_nav(client: Client) -> None:
    seed(5)
    for url in ["/", "/books/", "/authors/", "/publishers/", "/tags/poetry/"]:
        body = get_ok(client, url)
        assert '<a href="/authors/">Authors</a>' in body, url
