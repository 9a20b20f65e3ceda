"""Tag names and idempotency keys compare exactly (case and accents count) on MySQL/MariaDB too.

SQLite and PostgreSQL compare text byte for byte; MySQL/MariaDB's default collation
(utf8mb4_general_ci or _0900_ai_ci) ignores case and accents, so a tag "ADVENTURE" would collide
with "adventure" under the unique constraint, filter(name="ADVENTURE") would find "adventure",
and two idempotency keys differing only in case would be taken for one. This gives both
columns the binary collation utf8mb4_bin there, and does nothing on the other databases.

A later AlterField on either column must keep it: Django's MODIFY would fall back to the
table's default collation.
"""

from django.db import migrations

COLUMNS = [
    ("bookstore_tag", "name", "varchar(50)", "NOT NULL"),
    ("bookstore_order", "idempotency_key", "varchar(255)", "NULL"),
]


def binary_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "mysql":
        return
    quote = schema_editor.quote_name
    for table, column, column_type, null in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} MODIFY {quote(column)} {column_type} "
            f"CHARACTER SET utf8mb4 COLLATE utf8mb4_bin {null}"
        )


def default_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "mysql":
        return
    quote = schema_editor.quote_name
    for table, column, column_type, null in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} MODIFY {quote(column)} {column_type} {null}"
        )


class Migration(migrations.Migration):
    # MySQL refuses DDL inside a transaction it cannot roll back; elsewhere this does nothing.
    atomic = False

    dependencies = [
        ("bookstore", "0004_accounts_and_tokens"),
    ]

    operations = [migrations.RunPython(binary_collation, default_collation)]
