"""The README's engine example runs as written, with the query counts it states."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from fetchplan import NotFound
from fetchplan.dto import RelationNotLoaded

README = Path(__file__).resolve().parent.parent / "README.md"

pytestmark = pytest.mark.django_db


def readme_example() -> dict[str, Any]:
    """Execute the example between the readme-example markers; return its namespace."""
    text = README.read_text()
    block = re.search(
        r"<!-- readme-example:start -->\s*```python\n(.*?)```\s*<!-- readme-example:end -->",
        text,
        re.DOTALL,
    )
    assert block is not None, "README lost its engine example"
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(block[1], str(README), "exec"), namespace)  # our own README, on purpose
    return namespace


def test_the_engine_example_runs_with_the_stated_query_counts(
    django_assert_num_queries: Any,
) -> None:
    example = readme_example()
    call_command("seed", books=60, seed=4, verbosity=0)
    with django_assert_num_queries(2):
        cheap = example["list_cheap_books"](limit=5)
    assert 0 < len(cheap) <= 5
    assert all(book.tags for book in cheap)
    with django_assert_num_queries(0):
        assert example["stars"](cheap[0]) == "?"
    with pytest.raises(
        RelationNotLoaded, match=r"BookCard\.reviews was not loaded by plan 'book card'"
    ):
        list(cheap[0].reviews)
    book_id = cheap[0].id
    with django_assert_num_queries(3):
        card = example["get_book_card"](book_id)
    assert len(card.reviews) <= 3
    assert isinstance(example["stars"](card), str)
    with pytest.raises(NotFound):
        example["get_book_card"](10**9)


def test_every_image_the_readme_shows_is_in_the_repository() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text())
    assert {"docs/screenshots/book-list.png", "docs/screenshots/book.png"} <= set(images)
    for image in images:
        path = README.parent / image
        assert path.is_file(), image
        assert path.read_bytes().startswith(b"\x89PNG"), image


def test_the_readme_stays_a_short_front_page() -> None:
    assert len(README.read_bytes()) < 15_000
