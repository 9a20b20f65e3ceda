"""Fixture databases for the benchmarks: created once, reused while they hold the right data.

Two kinds, each on SQLite (a file under ``bench/.data/``), on PostgreSQL and on MariaDB (a
database named ``bench_*_<checkout id>``; on MariaDB made as the checkout's own user, the one
``scripts/mariadb_ready.py`` creates for the test suites, whose privileges cover every database
ending in ``_<checkout id>``):

- ``bench_books_<N>``: the full bookstore made by ``manage.py seed --books N --seed 1 --reset``
  (authors, publishers, tags, reviews, stock). Scenarios 1-3 read it.
- ``bench_export_<N>``: only what the export reads: N plain book rows (1,000 authors, 100
  publishers, no tags, reviews or stock), bulk-inserted with raw SQL (``COPY`` on
  PostgreSQL, ``executemany`` on SQLite and MariaDB, where ``mysqlclient`` folds it into
  multi-row ``INSERT`` statements), far faster than the full seeder. Scenario 4 reads it.

The functions named ``ensure_*`` run inside a worker process whose ``DATABASE_URL`` points at
the fixture; :func:`create_database` runs in the parent, before the worker starts.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
import MySQLdb  # type: ignore[import-untyped]  # mysqlclient ships no type stubs
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / ".data"
SEED = 1
EXPORT_AUTHORS = 1000
EXPORT_PUBLISHERS = 100
BOOK_COLUMNS = (
    "title", "isbn", "price", "published", "author_id", "publisher_id",
    "rating_count", "rating_sum", "rating_average",
)  # fmt: skip
# The rating columns have Python-side defaults only (Django's ``default=``): a raw insert
# must give them (no reviews: 0, 0, 0).
# Spelled out, not formatted from BOOK_COLUMNS: no SQL is built with string formatting
# anywhere (tests/writes scans for it).
INSERT_BOOKS = (
    "INSERT INTO bookstore_book (title, isbn, price, published, author_id, publisher_id, "
    "rating_count, rating_sum, rating_average) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def checkout_id() -> str:
    """Return the checkout's id (``CHECKOUT_ID``, set by the Makefile), or ``local``."""
    return os.environ.get("CHECKOUT_ID", "local")


def mariadb_server() -> str:
    """Return the MariaDB server URL (no database name) the bench makes its fixtures on.

    ``BENCH_MARIADB`` if set, else the user and password the Makefile gives the test suites
    (``fetchplan_<id>`` / ``tests-<id>``), so the bench reuses the user they already made.
    """
    default = f"mysql://fetchplan_{checkout_id()}:tests-{checkout_id()}@127.0.0.1:3306"
    return os.environ.get("BENCH_MARIADB", default).rstrip("/")


def mariadb_ready() -> bool:
    """Return whether the bench's MariaDB answers, creating its user first if need be.

    Runs ``scripts/mariadb_ready.py`` (what ``make test`` runs) on a URL whose database name
    ends in ``_<checkout id>``: the user it creates may then make every ``bench_*`` fixture.
    """
    url = f"{mariadb_server()}/bench_{checkout_id()}"
    script = ROOT / "scripts" / "mariadb_ready.py"
    done = subprocess.run([sys.executable, str(script), url], capture_output=True, check=False)
    return done.returncode == 0


def database_url(backend: str, name: str, postgres_server: str) -> str:
    """Return the URL of fixture ``name`` on ``backend`` (``sqlite``/``postgresql``/``mariadb``)."""
    if backend == "sqlite":
        return f"sqlite:///{DATA_DIR / name}.sqlite3"
    if backend == "mariadb":
        return f"{mariadb_server()}/{name}"
    return f"{postgres_server.rstrip('/')}/{name}"


def create_database(backend: str, name: str, postgres_server: str) -> None:
    """Create the (empty) database ``name`` if it does not exist yet."""
    if backend == "sqlite":
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return
    if not name.startswith("bench_"):
        raise ValueError(f"benchmark databases must be named bench_*, got {name!r}")
    if backend == "mariadb":
        _create_mariadb_database(name)
        return
    with psycopg.connect(f"{postgres_server.rstrip('/')}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _create_statement(name: str) -> str:
    """Return ``CREATE DATABASE IF NOT EXISTS`` for ``name``, quoted as an identifier.

    An identifier cannot be a parameter: the name was checked by the caller, its backticks are
    doubled here.
    """
    quoted = "`" + name.replace("`", "``") + "`"
    return "CREATE DATABASE IF NOT EXISTS " + quoted + " CHARACTER SET utf8mb4"


def _create_mariadb_database(name: str) -> None:
    if not name.endswith("_" + checkout_id()):
        raise ValueError(f"MariaDB bench databases must end in _{checkout_id()}, got {name!r}")
    config = dict(dj_database_url.parse(f"{mariadb_server()}/{name}"))
    conn = MySQLdb.connect(
        host=str(config.get("HOST") or "127.0.0.1"),
        port=int(str(config.get("PORT") or 3306)),
        user=str(config["USER"]),
        password=str(config.get("PASSWORD") or ""),
    )
    try:
        conn.cursor().execute(_create_statement(name))
    finally:
        conn.close()


# -- inside a worker (Django is set up) -------------------------------------------------------


def ensure_books(books: int) -> dict[str, int]:
    """Migrate, then seed ``books`` books unless the database already holds exactly that.

    Returns the row counts of the fixture.
    """
    from django.core.management import call_command

    from bookstore.models import Author, Book, Review

    call_command("migrate", verbosity=0)
    ready = Book.objects.count() == books and Review.objects.exists() == (books > 0)
    if not ready:
        call_command("seed", books=books, seed=SEED, reset=True, verbosity=0)
        _analyze()
    return {
        "books": Book.objects.count(),
        "authors": Author.objects.count(),
        "reviews": Review.objects.count(),
        "book_tags": Book.tags.through.objects.count(),
        "reused": int(ready),
    }


def ensure_export(books: int) -> dict[str, int]:
    """Migrate, then bulk-insert ``books`` plain books unless exactly that many exist."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from bookstore.models import Author, Book, Publisher
    from bookstore.seeding.generator import reset_bookstore

    call_command("migrate", verbosity=0)
    ready = Book.objects.count() == books
    if not ready:
        reset_bookstore()
        with transaction.atomic():
            Author.objects.bulk_create(Author(name=f"Author {i}") for i in range(EXPORT_AUTHORS))
            Publisher.objects.bulk_create(
                Publisher(name=f"Publisher {i}", country="Nowhere")
                for i in range(EXPORT_PUBLISHERS)
            )
        authors = list(Author.objects.order_by("id").values_list("id", flat=True))
        publishers = list(Publisher.objects.order_by("id").values_list("id", flat=True))
        rows = _export_rows(books, authors, publishers)
        if connection.vendor == "postgresql":
            _copy_rows(rows)
        else:
            _insert_rows(rows)
        _analyze()
    return {"books": Book.objects.count(), "reused": int(ready)}


def _export_rows(
    books: int, authors: list[int], publishers: list[int]
) -> Iterator[tuple[object, ...]]:
    """Yield deterministic book rows in :data:`BOOK_COLUMNS` order."""
    from bookstore.seeding.generator import FIRST_PUBLISHED, isbn13

    first: date = FIRST_PUBLISHED
    for i in range(books):
        publisher = None if i % 20 == 0 else publishers[i % len(publishers)]
        yield (
            f"Exported book number {i}",
            isbn13(i),
            f"{1 + i % 90}.{i % 100:02d}",
            (first + timedelta(days=i % 27_000)).isoformat(),
            authors[(i * 7) % len(authors)],
            publisher,
            0,
            0,
            "0",
        )


def _insert_rows(rows: Iterator[tuple[object, ...]]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(INSERT_BOOKS, rows)  # type: ignore[arg-type]  # any iterable works


def _copy_rows(rows: Iterator[tuple[object, ...]]) -> None:
    from django.db import connection, transaction

    from bookstore.models import Book

    with transaction.atomic():
        raw = connection.connection
        assert raw is not None
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(Book._meta.db_table),
            sql.SQL(", ").join(map(sql.Identifier, BOOK_COLUMNS)),
        )
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


def _analyze() -> None:
    """Refresh the query planner's statistics, as ``manage.py seed`` does on each backend."""
    from bookstore.seeding.generator import refresh_planner_statistics

    refresh_planner_statistics()
