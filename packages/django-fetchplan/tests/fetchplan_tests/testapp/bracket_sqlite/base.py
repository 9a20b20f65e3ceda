"""The backend's entry point, as Django's ``ENGINE`` setting expects (``<module>.base``)."""

from typing import override

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    """SQLite's operations, quoting names in square brackets instead of double quotes."""

    @override
    def quote_name(self, name: str) -> str:
        if name.startswith("[") and name.endswith("]"):
            return name  # already quoted
        return f"[{name}]"


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite, with :class:`DatabaseOperations`."""

    ops_class = DatabaseOperations
