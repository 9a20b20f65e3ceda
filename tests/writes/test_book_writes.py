"""Creating, replacing and patching books: validation, references, ISBNs, atomicity."""

from datetime import date
from decimal import Decimal

import pytest
from fetchplan import NotFound
from fetchplan.plan.errors import NOT_FOUND
from pydantic import ValidationError

from bookstore.models import Book
from dtos.writes import (
    ISBN_CHECKSUM,
    ISBN_FORMAT,
    PATCH_EMPTY,
    PATCH_NULL,
    TEXT_BLANK,
    TEXT_HAS_NUL,
    TEXT_NOT_UTF8,
    BookInput,
    BookPatch,
)
from repos.book_writes import create_book, patch_book, replace_book
from repos.write_errors import (
    DUPLICATE_ISBN,
    REFERENCE_NOT_FOUND,
    DuplicateIsbn,
    ReferenceNotFound,
)
from tests.writes.factories import make_author, make_book, make_publisher, snapshot

pytestmark = pytest.mark.django_db

VALID_ISBN = "9780306406157"


def book_input(**changes: object) -> BookInput:
    data: dict[str, object] = {
        "title": "Dune",
        "isbn": VALID_ISBN,
        "price": "9.99",
        "published": "1965-08-01",
        "author_id": 1,
    }
    return BookInput.model_validate({**data, **changes})


class TestInput:
    def test_isbn_is_normalized_to_digits(self) -> None:
        assert book_input(isbn="978-0-306-40615-7").isbn == VALID_ISBN

    def test_wrong_check_digit_names_the_expected_one(self) -> None:
        with pytest.raises(ValidationError) as info:
            book_input(isbn="9780306406158")
        assert ISBN_CHECKSUM.format(value="9780306406158", expected="7") in str(info.value)

    @pytest.mark.parametrize(
        "isbn", ["", "978030640615", "97803064061577", "978030640615x", "٩" * 13]
    )
    def test_isbn_must_be_13_ascii_digits(self, isbn: str) -> None:
        with pytest.raises(ValidationError) as info:
            book_input(isbn=isbn)
        assert ISBN_FORMAT.format(value=isbn) in str(info.value)

    @pytest.mark.parametrize("price", ["-0.01", "1000000.00", "1.001", "NaN", "Infinity"])
    def test_price_must_be_a_finite_non_negative_numeric_8_2(self, price: str) -> None:
        with pytest.raises(ValidationError):
            book_input(price=price)

    def test_price_bounds_are_accepted(self) -> None:
        assert book_input(price="0").price == Decimal(0)
        assert book_input(price="999999.99").price == Decimal("999999.99")

    @pytest.mark.parametrize(
        ("title", "message"),
        [("a\x00b", TEXT_HAS_NUL), ("\ud800", TEXT_NOT_UTF8), ("   ", TEXT_BLANK)],
    )
    def test_title_rejects_what_the_database_would(self, title: str, message: str) -> None:
        with pytest.raises(ValidationError) as info:
            book_input(title=title)
        assert message in str(info.value)

    def test_title_length_is_1_to_300(self) -> None:
        assert len(book_input(title="x" * 300).title) == 300
        for title in ("", "x" * 301):
            with pytest.raises(ValidationError):
                book_input(title=title)

    @pytest.mark.parametrize("author_id", [0, -1, 2**63, True, 1.0, "1"])
    def test_ids_are_strict_positive_bigints(self, author_id: object) -> None:
        with pytest.raises(ValidationError):
            book_input(author_id=author_id)

    def test_unknown_fields_are_refused(self) -> None:
        with pytest.raises(ValidationError):
            book_input(id=5)

    def test_patch_needs_a_change_and_refuses_null_for_required_fields(self) -> None:
        with pytest.raises(ValidationError) as info:
            BookPatch.model_validate({})
        assert PATCH_EMPTY in str(info.value)
        with pytest.raises(ValidationError) as info:
            BookPatch.model_validate({"title": None})
        assert PATCH_NULL.format(field="title") in str(info.value)
        assert BookPatch.model_validate({"publisher_id": None}).changes() == {"publisher_id": None}


class TestCreate:
    def test_creates_and_returns_the_stored_row(self) -> None:
        author, publisher = make_author(), make_publisher()
        created = create_book(
            book=book_input(author_id=author.pk, publisher_id=publisher.pk, price="9.9")
        )
        row = Book.objects.get(pk=created.id)
        assert (created.title, created.isbn, created.price) == ("Dune", VALID_ISBN, Decimal("9.90"))
        assert (row.author_id, row.publisher_id, row.published) == (
            author.pk,
            publisher.pk,
            date(1965, 8, 1),
        )

    def test_unknown_author_or_publisher_writes_nothing(self) -> None:
        author = make_author()
        before = snapshot()
        with pytest.raises(ReferenceNotFound) as info:
            create_book(book=book_input(author_id=author.pk + 1000))
        assert str(info.value) == REFERENCE_NOT_FOUND.format(model="Author", id=author.pk + 1000)
        with pytest.raises(ReferenceNotFound) as info:
            create_book(book=book_input(author_id=author.pk, publisher_id=424242))
        assert str(info.value) == REFERENCE_NOT_FOUND.format(model="Publisher", id=424242)
        assert snapshot() == before

    def test_duplicate_isbn_is_refused(self) -> None:
        existing = make_book()
        before = snapshot()
        with pytest.raises(DuplicateIsbn) as info:
            create_book(book=book_input(isbn=existing.isbn, author_id=existing.author_id))
        assert str(info.value) == DUPLICATE_ISBN.format(isbn=existing.isbn)
        assert snapshot() == before


class TestUpdate:
    def test_replace_sets_every_field(self) -> None:
        book = make_book()
        author = make_author(name="Other")
        replaced = replace_book(book_id=book.pk, book=book_input(author_id=author.pk))
        assert (replaced.id, replaced.title, replaced.author_id) == (book.pk, "Dune", author.pk)
        assert replaced.publisher_id is None

    def test_patch_changes_only_what_was_sent(self) -> None:
        publisher = make_publisher()
        book = make_book(title="Old")
        patched = patch_book(
            book_id=book.pk, changes=BookPatch(price=Decimal("1.00"), publisher_id=publisher.pk)
        )
        assert (patched.title, patched.price, patched.publisher_id) == (
            "Old",
            Decimal("1.00"),
            publisher.pk,
        )
        cleared = patch_book(
            book_id=book.pk, changes=BookPatch.model_validate({"publisher_id": None})
        )
        assert cleared.publisher_id is None

    def test_keeping_its_own_isbn_is_not_a_duplicate(self) -> None:
        book = make_book()
        assert patch_book(book_id=book.pk, changes=BookPatch(isbn=book.isbn)).isbn == book.isbn

    def test_taking_another_books_isbn_is_refused(self) -> None:
        book, other = make_book(), make_book()
        before = snapshot()
        with pytest.raises(DuplicateIsbn):
            patch_book(book_id=book.pk, changes=BookPatch(isbn=other.isbn, title="Changed"))
        assert snapshot() == before

    def test_missing_book_is_not_found(self) -> None:
        author = make_author()
        with pytest.raises(NotFound) as info:
            replace_book(book_id=999_999, book=book_input(author_id=author.pk))
        assert str(info.value) == NOT_FOUND.format(model="Book", lookup={"pk": 999_999})
