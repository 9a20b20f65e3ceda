"""The backend's entry point, as Django's ``ENGINE`` setting expects (``<module>.base``)."""

from typing import override

from django.db.backends.sqlite3 import base
from django.utils.functional import cached_property


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite, running two statements of its own per connection through Django's cursor."""

    @override
    def init_connection_state(self) -> None:
        super().init_connection_state()
        with self.cursor() as cursor:  # like MySQL's SET SESSION TRANSACTION ISOLATION LEVEL
            cursor.execute("SELECT 1")

    @cached_property
    def server_version_text(self) -> str:
        """Ask the server its version once per connection object, when first needed.

        Like MySQL's ``mysql_server_data``, which the backend computes lazily.
        """
        with self.temporary_connection() as cursor:
            cursor.execute("SELECT sqlite_version()")
            row = cursor.fetchone()
        return str(row[0])
