"""Migration 0006 (Tag.book_count): its backfill counts the links of existing tags, it creates
the triggers for the connection's vendor and its reverse drops them, and an unknown vendor
stops it."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bookstore.models import Tag
from tests.bookstore.data import seed
from tests.migrating import schema_editor
from tests.repos.tag_counts import live, stored
from tests.writes.factories import make_book

migration = importlib.import_module("bookstore.migrations.0006_tag_book_count")

BEFORE = ("bookstore", "0005_exact_text_on_mysql")
AFTER = ("bookstore", "0006_tag_book_count")
TRIGGERS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' "
    "AND tbl_name = 'bookstore_book_tags'",
    "postgresql": "SELECT tgname FROM pg_trigger "
    "WHERE tgrelid = 'bookstore_book_tags'::regclass AND NOT tgisinternal",
    "mysql": "SELECT trigger_name FROM information_schema.triggers "
    "WHERE event_object_schema = DATABASE() AND event_object_table = 'bookstore_book_tags'",
}


def triggers() -> set[str]:
    """Return the names of the triggers on the link table."""
    with connection.cursor() as cursor:
        cursor.execute(TRIGGERS[connection.vendor])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_the_backfill_counts_the_links_of_every_tag() -> None:
    seed(40)
    Tag.objects.create(name="unused")
    expected = live()
    assert 0 in expected.values()
    Tag.objects.update(book_count=0)
    Tag.objects.filter(name="unused").update(book_count=5)  # a wrong count is overwritten
    migration.fill_book_counts(apps, schema_editor())
    assert stored() == expected


@pytest.mark.django_db
def test_the_backfill_works_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    seed(20)
    expected = live()
    Tag.objects.update(book_count=0)
    monkeypatch.setattr(migration, "BATCH", 3)
    migration.fill_book_counts(apps, schema_editor())
    assert stored() == expected


def test_an_unknown_vendor_fails_the_migration() -> None:
    oracle = SimpleNamespace(connection=SimpleNamespace(vendor="oracle"))
    refused = re.escape(migration.UNKNOWN_VENDOR.format(vendor="oracle"))
    first = migration.Migration.operations[0]
    assert first.code is migration.refuse_unknown_vendor  # before the column is added
    with pytest.raises(NotImplementedError, match=refused):
        migration.refuse_unknown_vendor(apps, oracle)
    with pytest.raises(NotImplementedError, match=refused):
        migration.create_triggers_and_fill(apps, oracle)
    with pytest.raises(NotImplementedError, match=refused):
        migration.drop_triggers(apps, oracle)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_migrating_back_drops_the_triggers_and_forward_counts_the_links() -> None:
    assert triggers() == set(migration.TRIGGER_NAMES[connection.vendor])
    tag = Tag.objects.create(name="kept")
    books = [make_book(stock=None, title=f"M{n}") for n in range(3)]
    books[0].tags.add(tag)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        assert triggers() == set()
        with connection.cursor() as cursor:  # links written while no trigger counts them
            cursor.executemany(
                "INSERT INTO bookstore_book_tags (book_id, tag_id) VALUES (%s, %s)",
                [(book.pk, tag.pk) for book in books[1:]],
            )
    finally:
        executor.loader.build_graph()
        executor.migrate([AFTER])
    assert triggers() == set(migration.TRIGGER_NAMES[connection.vendor])
    assert stored()[tag.pk] == len(books) == 3
    books[0].tags.clear()
    assert stored() == live()
