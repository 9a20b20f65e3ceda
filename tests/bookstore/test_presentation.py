"""How pages word things: sort labels, filter chips and their links, 404 sentences."""

from decimal import Decimal

import pytest
from django.http import QueryDict
from fetchplan import NotFound

from bookstore.presentation import (
    NO_SUCH_ID,
    NO_SUCH_NAME,
    NO_SUCH_ROW,
    SORT_LABELS,
    SORT_OPTIONS,
    clear_filters_url,
    filter_chips,
    not_found_message,
    url_without,
)
from dtos.books import SORT_KEYS, BookFilters


def test_every_sort_has_a_distinct_label_in_menu_order() -> None:
    assert [key for key, _ in SORT_OPTIONS] == list(SORT_KEYS)
    assert len(set(SORT_LABELS.values())) == len(SORT_KEYS)
    assert not [label for label in SORT_LABELS.values() if label.startswith("-")]


def test_a_chip_link_drops_its_filter_the_cursor_and_empty_values_only() -> None:
    query = QueryDict("tag=poetry&q=&author=3&sort=-price&limit=10&cursor=abc")
    filters = BookFilters(tag="poetry", author=3, sort="-price")
    chips = filter_chips(filters, query, path="/books/", author_name="Ada Kim", publisher_name=None)
    assert [(chip.label, chip.remove_url) for chip in chips] == [
        ("Tag: poetry", "/books/?author=3&sort=-price&limit=10"),
        ("Author: Ada Kim", "/books/?tag=poetry&sort=-price&limit=10"),
    ]


def test_every_filter_has_a_chip() -> None:
    filters = BookFilters(
        q="night",
        tag="poetry",
        author=3,
        publisher=4,
        price_min=Decimal("1.50"),
        price_max=Decimal(20),
    )
    query = QueryDict("q=night&tag=poetry&author=3&publisher=4&price_min=1.50&price_max=20")
    chips = filter_chips(filters, query, path="/books/", author_name=None, publisher_name="Oak")
    assert [chip.label for chip in chips] == [
        "Title contains “night”",
        "Tag: poetry",
        "Author: #3",
        "Publisher: Oak",
        "Price from 1.50",
        "Price up to 20",
    ]
    assert all(chip.remove_url.count("=") == 5 for chip in chips)


def test_clearing_filters_keeps_sort_and_page_size() -> None:
    query = QueryDict("tag=poetry&publisher=2&sort=title&limit=5&cursor=x")
    assert clear_filters_url(query, path="/books/") == "/books/?sort=title&limit=5"
    assert url_without(QueryDict("tag=a"), path="/books/", drop=("tag",)) == "/books/"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (NotFound("Book", {"pk": 7}), NO_SUCH_ID.format(noun="book", value=7)),
        (NotFound("Author", {"id": 7}), NO_SUCH_ID.format(noun="author", value=7)),
        (NotFound("Row", {"book_id": 10**30}), NO_SUCH_ID.format(noun="book", value=10**30)),
        (NotFound("Tag", {"name": "x"}), NO_SUCH_NAME.format(noun="tag", value="x")),
        (NotFound("Tag", {"name": "x" * 500}), NO_SUCH_NAME.format(noun="tag", value="x" * 80)),
        (NotFound("Book", {"isbn": "1", "pk": 2}), NO_SUCH_ROW.format(noun="book")),
    ],
)
def test_not_found_messages_are_sentences(error: NotFound, expected: str) -> None:
    assert not_found_message(error) == expected
    assert "{" not in expected
