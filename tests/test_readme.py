"""The README's example runs as written, with the query counts it states."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from fetchplan.dto import RelationNotLoaded

from bookstore.models import Book

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ENGINE_PAGE = ROOT / "docs" / "engine.md"
EXAMPLE = re.compile(
    r"<!-- readme-example:start -->\s*```python\n(.*?)```\s*<!-- readme-example:end -->", re.DOTALL
)

pytestmark = pytest.mark.django_db


def readme_example() -> dict[str, Any]:
    """Execute the example between the readme-example markers; return its namespace.

    The code is compiled at its own lines of README.md, so a plan it declares names the line
    a reader sees there.
    """
    text = README.read_text()
    block = EXAMPLE.search(text)
    assert block is not None, "README lost its example"
    code = "\n" * text.count("\n", 0, block.start(1)) + block[1]
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, str(README), "exec"), namespace)  # our own README, on purpose
    return namespace


def test_the_example_runs_with_the_stated_query_counts(django_assert_num_queries: Any) -> None:
    example = readme_example()
    call_command("seed", books=60, seed=4, verbosity=0)
    with django_assert_num_queries(2):
        few = example["list_cheapest_books"](limit=5)
    with django_assert_num_queries(2):  # "2 queries for any limit"
        many = example["list_cheapest_books"](limit=50)
    cheapest = list(Book.objects.order_by("price", "id").values_list("id", flat=True)[:50])
    assert [book.id for book in many] == cheapest
    assert [book.id for book in few] == cheapest[:5]
    assert all(book.tags for book in many)
    with django_assert_num_queries(0):
        assert example["byline"](few[0]) == f"{few[0].title} by {few[0].author.name}"


def test_a_relation_the_plan_left_out_is_loud() -> None:
    example = readme_example()
    call_command("seed", books=5, seed=4, verbosity=0)
    (book,) = example["list_cheapest_books"](limit=1)
    assert isinstance(book.ratings, example["NotLoaded"])
    with pytest.raises(
        RelationNotLoaded, match=r"BookCard\.ratings was not loaded by plan 'BookCard from Book'"
    ) as raised:
        list(book.ratings)
    # docs/engine.md shows this message as real output, README line number included.
    shown = re.search(r"```\n(RelationNotLoaded: .*?)```", ENGINE_PAGE.read_text(), re.DOTALL)
    assert shown is not None, "docs/engine.md lost its RelationNotLoaded sample"
    assert " ".join(shown[1].split()) == f"RelationNotLoaded: {raised.value}"


def test_every_image_the_readme_shows_is_in_the_repository() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text())
    assert {"docs/screenshots/book-list.png", "docs/screenshots/book.png"} <= set(images)
    for image in images:
        path = README.parent / image
        assert path.is_file(), image
        assert path.read_bytes().startswith(b"\x89PNG"), image


def test_the_readme_stays_a_short_front_page() -> None:
    assert len(README.read_bytes()) < 15_000
