"""The demo site as a reader uses it, in headless Chromium at 1280 px and 390 px.

Every page a test lands on is checked by ``Tab.check``: it fits the viewport, the console
has no error, no request left the site, and a screenshot is saved.
"""

import re

import pytest
from selenium.webdriver.support.ui import Select, WebDriverWait

from bookstore.models import Author, Book, Tag
from bookstore.presentation import NO_SUCH_ID
from bookstore.views_reviews import REVIEW_ADDED
from bookstore.views_site import LOGGED_OUT
from tests.browser.conftest import Site
from tests.browser.tab import WAIT_SECONDS, Tab

pytestmark = pytest.mark.django_db(transaction=True)

MISSING_BOOK = 999_999


def count_shown(tab: Tab) -> int:
    """Return the number in "N books match"."""
    found = re.search(r"(\d+) books? match", tab.find("main").text)
    assert found is not None, tab.find("main").text[:300]
    return int(found[1])


def shown_books(tab: Tab) -> list[str]:
    """Return the links of the books listed on the page (titles may repeat, links do not)."""
    return [str(a.get_attribute("href")) for a in tab.find_all("main td.title a")]


def test_every_page_renders_cleanly(tab: Tab) -> None:
    book = Book.objects.order_by("id").first()
    author = Author.objects.order_by("id").first()
    tag = Tag.objects.filter(books__isnull=False).order_by("name").first()
    assert book is not None
    assert author is not None
    assert tag is not None
    pages = {
        "home": "/",
        "book-list": "/books/",
        "book": f"/books/{book.pk}/",
        "author-list": "/authors/",
        "author": f"/authors/{author.pk}/",
        "publisher-list": "/publishers/",
        "tag": f"/tags/{tag.name}/",
        "login": "/accounts/login/",
    }
    for name, path in pages.items():
        tab.open(path, name=name)
        assert tab.find("header.site nav").is_displayed(), path
    assert tab.texts("h2")[0] == "Log in"
    tab.open(f"/books/{MISSING_BOOK}/", name="not-found", not_found=True)
    assert NO_SUCH_ID.format(noun="book", value=MISSING_BOOK) in tab.find("main").text
    tab.open("/no/such/page/", name="no-page", not_found=True)
    assert "There is no page at /no/such/page/" in tab.find("main").text


def test_api_docs_render_from_local_files(tab: Tab) -> None:
    tab.driver.get(tab.origin + "/api/docs")
    WebDriverWait(tab.driver, WAIT_SECONDS).until(
        lambda driver: tab.find_all(".swagger-ui .opblock-summary-path")
    )
    tab.check("api-docs")
    assert "Bookstore API" in tab.find(".swagger-ui .info .title").text
    paths = tab.texts(".swagger-ui .opblock-summary-path")
    assert "/api/books" in [path.replace("\u200b", "") for path in paths]


def test_first_link_of_each_kind_leads_to_its_page(tab: Tab) -> None:
    tab.open("/", name="home")
    first_book = tab.find("main td.title a")
    title = first_book.text
    tab.click(first_book, name="book")
    assert tab.find("h2").text == title

    author_link = tab.find('main p a[href^="/authors/"]')
    name = author_link.text
    tab.click(author_link, name="author")
    assert tab.find("h2").text == name

    tab.driver.back()
    tag_link = tab.find("main a.tag")
    tag = tag_link.text
    tab.click(tag_link, name="tag")
    assert tag in tab.find("h2").text

    tab.driver.back()
    publisher_link = tab.find('main p a[href^="/books/?publisher="]')
    publisher = publisher_link.text
    tab.click(publisher_link, name="books-of-publisher")
    assert tab.texts(".chip-label") == [f"Publisher: {publisher}"]

    tab.open("/authors/", name="author-list")
    first_author = tab.find("main td.title a")
    name = first_author.text
    tab.click(first_author, name="author")
    assert tab.find("h2").text == name
    tab.click(tab.find('main a[href^="/books/?author="]'), name="books-of-author")
    assert tab.texts(".chip-label") == [f"Author: {name}"]

    tab.open("/publishers/", name="publisher-list")
    first_publisher = tab.find("main td.title a")
    publisher = first_publisher.text
    tab.click(first_publisher, name="books-of-publisher")
    assert tab.texts(".chip-label") == [f"Publisher: {publisher}"]


def test_apply_and_clear_a_filter(tab: Tab) -> None:
    tab.open("/books/", name="book-list")
    everything = count_shown(tab)
    assert not tab.find_all(".chip")
    menu = Select(tab.find('select[name="tag"]'))
    menu.select_by_index(1)
    tag = menu.first_selected_option.get_attribute("value")
    tab.click(tab.find('form.filters button[type="submit"]'), name="book-list-filtered")
    assert f"tag={tag}" in tab.path()
    assert tab.texts(".chip-label") == [f"Tag: {tag}"]
    assert 0 < count_shown(tab) < everything
    assert Select(tab.find('select[name="tag"]')).first_selected_option.text.startswith(tag or "")

    tab.click(tab.find(".chip a"), name="book-list")
    assert not tab.find_all(".chip")
    assert count_shown(tab) == everything
    assert "tag=" not in tab.path()


def test_sort_menu_reads_as_words(tab: Tab) -> None:
    tab.open("/books/?sort=-rating", name="book-list-by-rating")
    menu = Select(tab.find('select[name="sort"]'))
    assert menu.first_selected_option.text == "Best rated first"
    assert not [option.text for option in menu.options if option.text.startswith("-")]


def test_page_forward_and_back(tab: Tab) -> None:
    tab.open("/books/?limit=5", name="book-list-page-1")
    assert not tab.find_all('a[rel="prev"]')
    first = shown_books(tab)
    tab.click(tab.find('a[rel="next"]'), name="book-list-page-2")
    second = shown_books(tab)
    tab.click(tab.find('a[rel="next"]'), name="book-list-page-3")
    third = shown_books(tab)
    assert len({*first, *second, *third}) == 15
    tab.click(tab.find('a[rel="prev"]'), name="book-list-page-2")
    assert shown_books(tab) == second
    tab.click(tab.find('a[rel="prev"]'), name="book-list-page-1")
    assert shown_books(tab) == first
    assert not tab.find_all('a[rel="prev"]')


def test_log_in_post_a_review_and_log_out(tab: Tab, site: Site) -> None:
    book = Book.objects.order_by("id").first()
    assert book is not None
    tab.open(f"/books/{book.pk}/", name="book")
    tab.click(tab.find('a[href$="/reviews/new"]'), name="login-to-review")
    assert tab.path().startswith("/accounts/login/?next=")
    tab.find('input[name="username"]').send_keys(site.username)
    tab.find('input[name="password"]').send_keys(site.password)
    tab.click(tab.find('main button[type="submit"]'), name="review-form")
    assert tab.path() == f"/books/{book.pk}/reviews/new"
    Select(tab.find('select[name="rating"]')).select_by_value("4")
    body = f"Read it at {tab.viewport.width} px."
    tab.find('textarea[name="body"]').send_keys(body)
    tab.click(tab.find('main button[type="submit"]'), name="book-after-review")
    assert tab.path() == f"/books/{book.pk}/"
    assert REVIEW_ADDED in tab.find(".messages").text
    assert body in tab.texts(".review")[0]
    assert site.username in tab.find("header.site .account").text

    tab.click(tab.find("header.site form button"), name="home-after-logout")
    assert tab.path() == "/"
    assert LOGGED_OUT in tab.find(".messages").text
    assert tab.find("header.site .account a").text == "Log in"
