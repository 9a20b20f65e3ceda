"""``manage.py seed``: deterministic, realistic, constant memory."""

import random
import re
import tracemalloc
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from bookstore.models import Author, Book, Customer, Publisher, Review, Stock, Tag
from bookstore.seeding.generator import isbn13
from bookstore.seeding.wording import plural, unique_names, with_article

pytestmark = pytest.mark.django_db
# --reset truncates tables; PostgreSQL refuses that inside the transaction a plain django_db
# test runs in once rows were inserted (pending deferred FK checks), so those tests commit.
resetting = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every seeded row, ordered by primary key, as plain tuples."""
    return {
        "authors": list(Author.objects.order_by("pk").values_list()),
        "publishers": list(Publisher.objects.order_by("pk").values_list()),
        "tags": list(Tag.objects.order_by("pk").values_list()),
        "customers": list(Customer.objects.order_by("pk").values_list()),
        "books": list(Book.objects.order_by("pk").values_list()),
        "book_tags": list(
            Book.tags.through.objects.order_by("pk").values_list("book_id", "tag_id")
        ),
        "reviews": list(Review.objects.order_by("pk").values_list()),
        "stock": list(Stock.objects.order_by("pk").values_list()),
    }


def seed(books: int, seed: int = 0, *extra: str) -> None:
    call_command("seed", books=books, seed=seed, verbosity=0, *extra)  # noqa: B026


@resetting
def test_same_seed_gives_same_rows() -> None:
    seed(300, 7, "--reset")
    first = snapshot()
    seed(300, 7, "--reset")
    assert snapshot() == first
    assert len(first["books"]) == 300


@resetting
def test_different_seed_gives_different_rows() -> None:
    seed(300, 1, "--reset")
    first = snapshot()
    seed(300, 2, "--reset")
    assert snapshot()["books"] != first["books"]


def test_seed_adds_to_existing_data_without_isbn_clashes() -> None:
    seed(100, 1)
    seed(100, 1)
    assert Book.objects.count() == 200
    assert Book.objects.values("isbn").distinct().count() == 200


def test_if_empty_does_nothing_when_books_exist() -> None:
    seed(50, 1)
    seed(50, 1, "--if-empty")
    assert Book.objects.count() == 50


@resetting
def test_data_has_the_promised_shape() -> None:
    seed(2000, 3, "--reset")
    assert Stock.objects.count() == 2000
    tags_per_book = Book.objects.annotate(n=Count("tags")).values_list("n", flat=True)
    assert set(tags_per_book) <= {1, 2, 3, 4, 5}
    reviews_per_book = list(Book.objects.annotate(n=Count("reviews")).values_list("n", flat=True))
    assert min(reviews_per_book) == 0
    assert max(reviews_per_book) <= 20
    assert set(Review.objects.values_list("rating", flat=True)) == {1, 2, 3, 4, 5}
    # Skewed books per author: the busiest author has many times the median author's books.
    per_author = sorted(Author.objects.annotate(n=Count("books")).values_list("n", flat=True))
    assert per_author[-1] >= 10 * max(1, per_author[len(per_author) // 2])
    assert Book.objects.filter(publisher__isnull=True).exists()


def test_isbns_have_valid_check_digits() -> None:
    for serial in (0, 1, 12345, 999_999_999):
        isbn = isbn13(serial)
        assert len(isbn) == 13
        weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(isbn))
        assert weighted % 10 == 0
    assert isbn13(9780306406157 // 10 % 1_000_000_000) == "9780306406157"


def peak_traced_bytes(books: int) -> int:
    tracemalloc.start()
    try:
        seed(books, 5, "--reset", "--batch-size", "250")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
@resetting
def test_peak_memory_does_not_grow_with_the_number_of_books() -> None:
    # Batches of 250 keep the test quick; the ratio is what matters, not the size.
    small = peak_traced_bytes(1_000)
    large = peak_traced_bytes(8_000)
    assert large <= 1.5 * small, f"peak {large} B for 8,000 books vs {small} B for 1,000"


def test_titles_use_plurals_articles_and_two_different_nouns() -> None:
    seed(1500, 3)
    titles = list(Book.objects.values_list("title", flat=True))
    plurals = [title for title in titles if title.endswith(("ies", "es", "s"))]
    assert any(title.endswith(("Cities", "Libraries")) for title in plurals)
    assert not [title for title in titles if re.search(r"[^aeiou]ys\b", title)]
    with_a = [title for title in titles if title.startswith(("A ", "An "))]
    assert any(title.startswith("An Endless") for title in with_a)
    assert not [title for title in with_a if re.match(r"A [AEIOU]|An [^AEIOU]", title)]
    pairs = [re.fullmatch(r"The (\w+) and the (\w+)", title) for title in titles]
    assert not [pair[0] for pair in pairs if pair and pair[1] == pair[2]]


def test_publisher_names_are_unique_also_across_runs() -> None:
    seed(2000, 1)
    seed(2000, 2)
    names = list(Publisher.objects.values_list("name", flat=True))
    assert len(names) == 80
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("City", "Cities"),
        ("Library", "Libraries"),
        ("Day", "Days"),
        ("Box", "Boxes"),
        ("Church", "Churches"),
        ("Map", "Maps"),
    ],
)
def test_plural(noun: str, expected: str) -> None:
    assert plural(noun) == expected


def test_with_article() -> None:
    assert with_article("Endless") == "An Endless"
    assert with_article("Quiet") == "A Quiet"


def test_unique_names_number_the_names_once_every_pair_is_used() -> None:
    names = unique_names(random.Random(0), words=["Oak"], suffixes=["Press", "Books"], taken=[])
    first = {next(names), next(names)}
    assert first == {"Oak Press", "Oak Books"}
    assert {next(names), next(names)} == {"Oak Press 2", "Oak Books 2"}
    taken = ["Oak Press", "Oak Books"]
    rest = unique_names(random.Random(0), words=["Oak"], suffixes=["Press", "Books"], taken=taken)
    assert next(rest).endswith(" 2")
