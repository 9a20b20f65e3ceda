"""Tag.book_count: the number of books carrying the tag, stored, kept exact by triggers.

The tag list (repos/tags.py) used to count every book-tag link per request. The count is now
a column that triggers on the link table (bookstore_book_tags) keep exact, whoever writes the
links: the ORM from either side, the collector deleting a book or a tag, bulk_create (the
seeder), raw SQL, an UPDATE moving a link to another tag, and a rollback (the trigger's update
is part of the writer's transaction). Django signals would miss bulk_create and raw SQL.

Each vendor has its own trigger set; an unknown vendor fails the migration rather than leave
the counts unmaintained. The triggers are created before the backfill, in one transaction on
SQLite and PostgreSQL, so a link written meanwhile waits for it and is then counted by its
trigger.
On MySQL/MariaDB DDL commits at once: migrate with the link writers stopped.

What bypasses row triggers: TRUNCATE of the link table alone on MySQL/MariaDB (PostgreSQL has a
TRUNCATE trigger here; reset_bookstore truncates the tags with the links). On SQLite, a later
migration that remakes bookstore_book_tags drops its triggers: it must create them again.
"""

from contextlib import nullcontext

from django.db import migrations, models, transaction
from django.db.models import Count

from bookstore.migrations._statement_limit import no_statement_limit

BATCH = 2000

# Static statements (the names are this app's own), so no SQL is built by string formatting.
SQLITE = [
    """
    CREATE TRIGGER bookstore_book_tags_count_insert
    AFTER INSERT ON bookstore_book_tags FOR EACH ROW
    BEGIN
        UPDATE bookstore_tag SET book_count = book_count + 1 WHERE id = NEW.tag_id;
    END
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_delete
    AFTER DELETE ON bookstore_book_tags FOR EACH ROW
    BEGIN
        UPDATE bookstore_tag SET book_count = book_count - 1 WHERE id = OLD.tag_id;
    END
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_update
    AFTER UPDATE OF tag_id ON bookstore_book_tags FOR EACH ROW
    WHEN OLD.tag_id IS NOT NEW.tag_id
    BEGIN
        UPDATE bookstore_tag SET book_count = book_count - 1 WHERE id = OLD.tag_id;
        UPDATE bookstore_tag SET book_count = book_count + 1 WHERE id = NEW.tag_id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_insert",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_delete",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_update",
]

# PostgreSQL: statement-level triggers with transition tables, so a bulk insert of 30,000
# links (the seeder's batch) updates each tag once, by the sum of its links' deltas, instead
# of 30,000 single-row updates. Transition tables cannot go with a column list
# (UPDATE OF tag_id), so the update trigger sees every UPDATE and applies only nonzero deltas.
POSTGRESQL = [
    """
    CREATE FUNCTION bookstore_tag_book_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE bookstore_tag AS tag SET book_count = tag.book_count + delta.n
            FROM (SELECT tag_id, count(*) AS n FROM new_links GROUP BY tag_id) AS delta
            WHERE tag.id = delta.tag_id;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE bookstore_tag AS tag SET book_count = tag.book_count - delta.n
            FROM (SELECT tag_id, count(*) AS n FROM old_links GROUP BY tag_id) AS delta
            WHERE tag.id = delta.tag_id;
        ELSIF TG_OP = 'UPDATE' THEN
            UPDATE bookstore_tag AS tag SET book_count = tag.book_count + delta.n
            FROM (
                SELECT tag_id, sum(n) AS n FROM (
                    SELECT tag_id, 1 AS n FROM new_links
                    UNION ALL
                    SELECT tag_id, -1 AS n FROM old_links
                ) AS moves GROUP BY tag_id HAVING sum(n) <> 0
            ) AS delta
            WHERE tag.id = delta.tag_id;
        ELSIF TG_OP = 'TRUNCATE' THEN
            UPDATE bookstore_tag SET book_count = 0 WHERE book_count <> 0;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_insert
    AFTER INSERT ON bookstore_book_tags REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION bookstore_tag_book_count()
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_delete
    AFTER DELETE ON bookstore_book_tags REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION bookstore_tag_book_count()
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_update
    AFTER UPDATE ON bookstore_book_tags REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION bookstore_tag_book_count()
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_truncate
    AFTER TRUNCATE ON bookstore_book_tags
    FOR EACH STATEMENT EXECUTE FUNCTION bookstore_tag_book_count()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_insert ON bookstore_book_tags",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_delete ON bookstore_book_tags",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_update ON bookstore_book_tags",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_truncate ON bookstore_book_tags",
    "DROP FUNCTION IF EXISTS bookstore_tag_book_count()",
]

# MySQL/MariaDB: inserting a link takes a shared lock on its tag row (the foreign key check),
# and the AFTER trigger then needs an exclusive one: two transactions linking the same tag
# would each hold the shared lock and wait for the other (deadlock, error 1213). The BEFORE
# triggers take the exclusive lock first, changing nothing (an INSERT IGNORE that skips the row
# still runs BEFORE triggers, so the count itself is only changed AFTER).
MYSQL = [
    """
    CREATE TRIGGER bookstore_book_tags_count_lock_insert
    BEFORE INSERT ON bookstore_book_tags FOR EACH ROW
    BEGIN
        DECLARE locked BIGINT;
        SELECT id INTO locked FROM bookstore_tag WHERE id = NEW.tag_id FOR UPDATE;
    END
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_lock_update
    BEFORE UPDATE ON bookstore_book_tags FOR EACH ROW
    BEGIN
        DECLARE locked BIGINT;
        IF NOT (OLD.tag_id <=> NEW.tag_id) THEN
            SELECT id INTO locked FROM bookstore_tag WHERE id = NEW.tag_id FOR UPDATE;
        END IF;
    END
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_insert
    AFTER INSERT ON bookstore_book_tags FOR EACH ROW
    UPDATE bookstore_tag SET book_count = book_count + 1 WHERE id = NEW.tag_id
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_delete
    AFTER DELETE ON bookstore_book_tags FOR EACH ROW
    UPDATE bookstore_tag SET book_count = book_count - 1 WHERE id = OLD.tag_id
    """,
    """
    CREATE TRIGGER bookstore_book_tags_count_update
    AFTER UPDATE ON bookstore_book_tags FOR EACH ROW
    BEGIN
        IF NOT (OLD.tag_id <=> NEW.tag_id) THEN
            UPDATE bookstore_tag SET book_count = book_count - 1 WHERE id = OLD.tag_id;
            UPDATE bookstore_tag SET book_count = book_count + 1 WHERE id = NEW.tag_id;
        END IF;
    END
    """,
]
MYSQL_DROP = [
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_lock_insert",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_lock_update",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_insert",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_delete",
    "DROP TRIGGER IF EXISTS bookstore_book_tags_count_update",
]

# What each vendor's set is made of (the tests compare the database's catalog with it).
_TRIGGER_SUFFIXES = {
    "sqlite": ("insert", "delete", "update"),
    "postgresql": ("insert", "delete", "update", "truncate"),
    "mysql": ("lock_insert", "lock_update", "insert", "delete", "update"),
}
TRIGGER_NAMES = {
    vendor: tuple(f"bookstore_book_tags_count_{suffix}" for suffix in suffixes)
    for vendor, suffixes in _TRIGGER_SUFFIXES.items()
}
CREATE = {"sqlite": SQLITE, "postgresql": POSTGRESQL, "mysql": MYSQL}
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP, "mysql": MYSQL_DROP}
UNKNOWN_VENDOR = (
    "bookstore 0006: no triggers keep Tag.book_count exact on {vendor!r} databases; "
    "write them for this vendor in bookstore/migrations/0006_tag_book_count.py"
)


def _statements(table: dict[str, list[str]], vendor: str) -> list[str]:
    if vendor not in table:
        raise NotImplementedError(UNKNOWN_VENDOR.format(vendor=vendor))
    return table[vendor]


def fill_book_counts(apps, schema_editor):
    """Set every tag's book_count to the number of its links, a batch of tags at a time."""
    with no_statement_limit(schema_editor.connection):  # a large table takes a while
        _fill_book_counts(apps)


def _fill_book_counts(apps):
    Tag = apps.get_model("bookstore", "Tag")
    Link = apps.get_model("bookstore", "Book").tags.through
    ids = list(Tag.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        counts = dict(
            Link.objects.filter(tag_id__in=batch)
            .order_by()
            .values("tag_id")
            .annotate(n=Count("id"))
            .values_list("tag_id", "n")
        )
        Tag.objects.bulk_update(
            [Tag(pk=tag_id, book_count=counts.get(tag_id, 0)) for tag_id in batch],
            ["book_count"],
        )


def refuse_unknown_vendor(apps, schema_editor):
    """Raise NotImplementedError unless this vendor has triggers, before anything changes."""
    _statements(CREATE, schema_editor.connection.vendor)
    _statements(DROP, schema_editor.connection.vendor)


def create_triggers(apps, schema_editor):
    for statement in _statements(CREATE, schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def create_triggers_and_fill(apps, schema_editor):
    """Create the triggers, then fill the counts: in one transaction where DDL can roll back."""
    refuse_unknown_vendor(apps, schema_editor)
    connection = schema_editor.connection
    rollback = connection.features.can_rollback_ddl
    with transaction.atomic(using=connection.alias) if rollback else nullcontext():
        create_triggers(apps, schema_editor)
        fill_book_counts(apps, schema_editor)


def drop_triggers(apps, schema_editor):
    for statement in _statements(DROP, schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    # MySQL refuses DDL (CREATE TRIGGER) inside a transaction it cannot roll back; on SQLite
    # and PostgreSQL create_triggers_and_fill opens its own.
    atomic = False

    dependencies = [
        ("bookstore", "0005_exact_text_on_mysql"),
    ]

    operations = [
        migrations.RunPython(refuse_unknown_vendor, refuse_unknown_vendor),
        migrations.AddField(
            model_name="tag",
            name="book_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(create_triggers_and_fill, drop_triggers),
    ]
