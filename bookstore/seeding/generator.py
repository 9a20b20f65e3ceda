"""Generate the bookstore's demo data deterministically, in batches of constant size.

One ``random.Random(seed)`` drives every choice, and rows are produced in a fixed order, so
the same seed on the same starting database yields the same rows. Nothing grows with the
number of books except compact ``array`` buffers of author and customer ids (8 bytes each):
books, their tag links, reviews and stock are built and written one batch at a time.

The distributions aim at realistic shapes rather than uniform noise: a few authors wrote
many books (``author_index = n * u**3`` skews towards low indexes), most books have a handful
of reviews and some have none or many (0..20), ratings lean towards 4.
"""

import random
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import DatabaseError, connection, reset_queries, transaction
from django.db.models import Model

from bookstore.db_session import is_mariadb
from bookstore.models import (
    Author,
    Book,
    Customer,
    Order,
    OrderLine,
    Publisher,
    Review,
    Stock,
    Tag,
)
from bookstore.seeding import vocabulary as words
from bookstore.seeding.wording import plural, unique_names, with_article
from repos.ratings import stored_average

BOOKS_PER_AUTHOR = 8
BOOKS_PER_PUBLISHER = 50
MAX_PUBLISHERS = 300
BOOKS_PER_CUSTOMER = 20
NO_PUBLISHER_SHARE = 0.05
MAX_REVIEWS = 20
# Weights of 1..5 stars: most readers who review liked the book.
RATING_WEIGHTS = (5, 8, 20, 40, 27)
REVIEW_EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
REVIEW_SPAN_SECONDS = 10 * 365 * 24 * 3600
FIRST_PUBLISHED = date(1950, 1, 1)
PUBLISHED_SPAN_DAYS = 75 * 365


@dataclass(frozen=True)
class SeedCounts:
    """How many rows of each kind one run created."""

    authors: int
    publishers: int
    tags: int
    customers: int
    books: int
    book_tags: int
    reviews: int
    stock: int


def isbn13(serial: int) -> str:
    """Return a valid ISBN-13 (978 prefix, correct check digit) unique for ``serial``."""
    body = f"978{serial % 1_000_000_000:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return f"{body}{(10 - total % 10) % 10}"


def skewed_index(rng: random.Random, size: int) -> int:
    """Pick an index in ``range(size)``, heavily favouring low indexes (a long tail)."""
    return min(size - 1, int(size * rng.random() ** 3))


class FullBatches[M: Model]:
    """Insert rows ``size`` at a time, carrying the remainder over to the next call.

    Every INSERT then has the same shape. Measured on SQLite: with a differently sized
    INSERT per batch, the sqlite3 module's statement cache (128 prepared statements) grew the
    process by ~1 MiB per 1,000 books seeded, outside Python's heap (tracemalloc stayed flat).
    """

    def __init__(self, model: type[M], size: int) -> None:
        self.model = model
        self.size = size
        self.pending: list[M] = []
        self.written = 0

    def add(self, rows: Iterable[M]) -> None:
        """Queue ``rows``; insert every full batch now."""
        self.pending.extend(rows)
        while len(self.pending) >= self.size:
            self._insert(self.pending[: self.size])
            del self.pending[: self.size]

    def flush(self) -> None:
        """Insert what is left."""
        if self.pending:
            self._insert(self.pending)
            self.pending = []

    def _insert(self, rows: list[M]) -> None:
        self.model._default_manager.bulk_create(rows)
        self.written += len(rows)


class Seeder:
    """Write ``books`` books and their surroundings in batches of ``batch_size``."""

    def __init__(
        self,
        *,
        books: int,
        seed: int,
        batch_size: int = 2000,
        on_books_written: Callable[[int], object] = lambda n: None,
    ) -> None:
        self.books = books
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.on_books_written = on_books_written
        self.n_authors = max(1, books // BOOKS_PER_AUTHOR)
        self.n_publishers = max(1, min(MAX_PUBLISHERS, books // BOOKS_PER_PUBLISHER))
        self.n_customers = max(1, books // BOOKS_PER_CUSTOMER)

    # -- public ------------------------------------------------------------------------------

    def run(self) -> SeedCounts:
        """Create every row and return how many of each kind were written."""
        tag_ids = self._ensure_tags()
        author_ids = self._write_in_batches(Author, self._authors(), self.n_authors)
        publisher_ids = self._write_in_batches(Publisher, self._publishers(), self.n_publishers)
        self._write_in_batches(Customer, self._customers(), self.n_customers)
        book_tags, reviews = self._write_books(author_ids, publisher_ids, tag_ids)
        return SeedCounts(
            authors=self.n_authors,
            publishers=self.n_publishers,
            tags=len(tag_ids),
            customers=self.n_customers,
            books=self.books,
            book_tags=book_tags,
            reviews=reviews,
            stock=self.books,
        )

    # -- row generators ----------------------------------------------------------------------

    def _person_name(self) -> str:
        return f"{self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.LAST_NAMES)}"

    def _authors(self) -> Iterator[Author]:
        for _ in range(self.n_authors):
            born = self.rng.randint(1900, 2000) if self.rng.random() < 0.8 else None
            yield Author(name=self._person_name(), birth_year=born)

    def _publishers(self) -> Iterator[Publisher]:
        # Unique names, also against publishers an earlier run wrote (seeding adds rows).
        taken = set(Publisher.objects.values_list("name", flat=True))
        names = unique_names(
            self.rng, words=words.PUBLISHER_WORDS, suffixes=words.PUBLISHER_SUFFIXES, taken=taken
        )
        for _ in range(self.n_publishers):
            yield Publisher(name=next(names), country=self.rng.choice(words.COUNTRIES))

    def _customers(self) -> Iterator[Customer]:
        start = Customer.objects.count()
        for i in range(self.n_customers):
            name = self._person_name()
            email = f"{name.lower().replace(' ', '.')}.{start + i}@example.com"
            yield Customer(name=name, email=email)

    def _title(self) -> str:
        pattern = self.rng.choice(words.TITLE_PATTERNS)
        adjective = self.rng.choice(words.TITLE_ADJECTIVES)
        noun = self.rng.choice(words.TITLE_NOUNS)
        # Never "The River and the River": the second noun is drawn from the others.
        others = [other for other in words.TITLE_NOUNS if other != noun]
        return pattern.format(
            adj=adjective,
            a_adj=with_article(adjective),
            noun=noun,
            nouns=plural(noun),
            noun2=self.rng.choice(others),
            name=self.rng.choice(words.FIRST_NAMES),
        )

    def _book(self, serial: int, author_ids: array[int], publisher_ids: array[int]) -> Book:
        publisher_id = (
            None
            if self.rng.random() < NO_PUBLISHER_SHARE
            else publisher_ids[self.rng.randrange(len(publisher_ids))]
        )
        cents = self.rng.randint(199, 8999)
        return Book(
            title=self._title(),
            isbn=isbn13(serial),
            price=Decimal(cents).scaleb(-2),
            published=FIRST_PUBLISHED + timedelta(days=self.rng.randrange(PUBLISHED_SPAN_DAYS)),
            author_id=author_ids[skewed_index(self.rng, len(author_ids))],
            publisher_id=publisher_id,
        )

    def _reviews(self) -> list[Review]:
        """Return one book's reviews (their ``book_id`` is set once the book has an id)."""
        # Skewed count: many books have few reviews, a few have up to MAX_REVIEWS.
        count = min(MAX_REVIEWS, int((MAX_REVIEWS + 1) * self.rng.random() ** 2))
        return [self._review() for _ in range(count)]

    def _review(self) -> Review:
        opening = self.rng.choice(words.REVIEW_OPENINGS)
        body = f"{opening} {self.rng.choice(words.REVIEW_CLOSINGS)}"
        return Review(
            rating=self.rng.choices(range(1, 6), weights=RATING_WEIGHTS)[0],
            body=body,
            created=REVIEW_EPOCH + timedelta(seconds=self.rng.randrange(REVIEW_SPAN_SECONDS)),
        )

    # -- writing -----------------------------------------------------------------------------

    def _ensure_tags(self) -> list[int]:
        Tag.objects.bulk_create([Tag(name=name) for name in words.TAGS], ignore_conflicts=True)
        return list(Tag.objects.order_by("name").values_list("id", flat=True))

    def _write_in_batches[M: (Author, Publisher, Customer)](
        self, model: type[M], rows: Iterator[M], total: int
    ) -> array[int]:
        """Insert ``rows`` in batches; return their primary keys, in order, compactly."""
        ids: array[int] = array("q")
        while total > 0:
            batch = [next(rows) for _ in range(min(self.batch_size, total))]
            with transaction.atomic():
                model.objects.bulk_create(batch)
            ids.extend(obj.pk for obj in batch)
            total -= len(batch)
            reset_queries()
        return ids

    def _write_books(
        self, author_ids: array[int], publisher_ids: array[int], tag_ids: list[int]
    ) -> tuple[int, int]:
        through = Book.tags.through
        links = FullBatches(through, self.batch_size)
        reviews = FullBatches(Review, self.batch_size)
        serial = Book.objects.count()
        remaining = self.books
        while remaining > 0:
            size = min(self.batch_size, remaining)
            # Drawn in the same order as ever (books, tag picks, reviews, stock), so a seed
            # gives the same rows; the reviews are drawn before the books are written so each
            # book carries its stored rating (repos/ratings.py) from the start.
            books = [self._book(serial + i, author_ids, publisher_ids) for i in range(size)]
            picks = [self.rng.sample(tag_ids, self.rng.randint(1, 5)) for _ in books]
            book_reviews = [self._reviews() for _ in books]
            for book, its_reviews in zip(books, book_reviews, strict=True):
                total = sum(review.rating for review in its_reviews)
                book.rating_count, book.rating_sum = len(its_reviews), total
                book.rating_average = stored_average(total=total, count=len(its_reviews))
            on_hand = [self.rng.randint(0, 50) for _ in books]
            with transaction.atomic():
                Book.objects.bulk_create(books)
                links.add(
                    through(book_id=book.pk, tag_id=tag_id)
                    for book, tags in zip(books, picks, strict=True)
                    for tag_id in tags
                )
                for book, its_reviews in zip(books, book_reviews, strict=True):
                    for review in its_reviews:
                        review.book_id = book.pk
                reviews.add(review for its_reviews in book_reviews for review in its_reviews)
                Stock.objects.bulk_create(
                    [
                        Stock(book_id=book.pk, on_hand=n)
                        for book, n in zip(books, on_hand, strict=True)
                    ]
                )
            serial += size
            remaining -= size
            reset_queries()
            self.on_books_written(size)
        with transaction.atomic():
            links.flush()
            reviews.flush()
        return links.written, reviews.written


def reset_bookstore() -> None:
    """Delete every bookstore row and restart the id sequences, so a re-seed is identical.

    On MySQL/MariaDB, restarting the sequences takes ``TRUNCATE``, which commits the open
    transaction; inside one (a test's) the rows are deleted instead and the ids go on.
    """
    models: list[type[Model]] = [OrderLine, Order, Stock, Review, Book.tags.through, Book]
    models += [Tag, Customer, Publisher, Author]
    tables = [model._meta.db_table for model in models]
    commits = connection.vendor == "mysql" and connection.in_atomic_block
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=not commits, allow_cascade=False
    )
    with transaction.atomic():
        connection.ops.execute_sql_flush(statements)


@contextmanager
def statement_timeout_lifted() -> Iterator[None]:
    """Turn the statement limit off for this connection while seeding (seeding is long), then
    put the previous limit back.

    PostgreSQL's ``statement_timeout``; MariaDB's ``max_statement_time`` (bookstore.db_session).
    Put back because the connection may serve other work afterwards (a shell, a test session):
    on MariaDB a ``SET`` is not undone by a rollback, so a lifted limit would outlive the seed.
    """
    if connection.vendor == "postgresql":
        read = "SELECT current_setting('statement_timeout')"
        write = "SELECT set_config('statement_timeout', %s, false)"
        lifted: str | int = "0"
    elif is_mariadb(connection):
        read = "SELECT @@SESSION.max_statement_time"
        write = "SET SESSION max_statement_time = %s"
        lifted = 0
    else:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(read)
        (before,) = cursor.fetchone()
        cursor.execute(write, [lifted])
    try:
        yield
    finally:
        # After a failed statement PostgreSQL refuses more until the rollback, which undoes
        # the SET anyway; the seed's own error is the one to report.
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(write, [before])


def refresh_planner_statistics() -> None:
    """Refresh the query planner's statistics of every table, the way each backend spells it.

    Measured on PostgreSQL after seeding 10,000 books: before ANALYZE the planner still
    estimated the empty tables' sizes and listing books took 141 ms; after, 70 ms. SQLite and
    PostgreSQL take a bare ``ANALYZE``. MySQL/MariaDB need ``ANALYZE TABLE`` with the table
    names, and it commits the open transaction: inside one (a test's) it is skipped, and InnoDB
    refreshes a table's statistics by itself once a tenth of its rows changed.
    """
    if connection.vendor != "mysql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    if connection.in_atomic_block:
        return
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    with connection.cursor() as cursor:
        cursor.execute(with_identifiers("ANALYZE TABLE {}", tables))
        cursor.fetchall()  # one status row per table


def with_identifiers(template: str, names: list[str]) -> str:
    """Return ``template`` with ``{}`` replaced by ``names``, each quoted by the backend.

    For statements whose identifiers cannot be parameters (``ANALYZE TABLE``): the names are
    table names the database itself listed, quoted as ``psycopg.sql.Identifier`` would.
    """
    return template.replace("{}", ", ".join(connection.ops.quote_name(n) for n in names))
