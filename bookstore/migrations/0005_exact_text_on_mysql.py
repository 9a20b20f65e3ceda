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

# Static statements (the names are this app's own); the reverse gives back the default collation.
BINARY = [
    "ALTER TABLE `bookstore_tag` MODIFY `name` varchar(50) "
    "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL",
    "ALTER TABLE `bookstore_order` MODIFY `idempotency_key` varchar(255) "
    "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL",
]
DEFAULT = [
    "ALTER TABLE `bookstore_tag` MODIFY `name` varchar(50) NOT NULL",
    "ALTER TABLE `bookstore_order` MODIFY `idempotency_key` varchar(255) NULL",
]


def binary_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "mysql":
        for statement in BINARY:
            schema_editor.execute(statement)


def default_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "mysql":
        for statement in DEFAULT:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    # MySQL refuses DDL inside a transaction it cannot roll back; elsewhere this does nothing.
    atomic = False

    dependencies = [
        ("bookstore", "0004_accounts_and_tokens"),
    ]

    operations = [migrations.RunPython(binary_collation, default_collation)]
