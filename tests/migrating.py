"""For tests that call a migration's ``RunPython`` functions directly."""

from types import SimpleNamespace

from django.db import connection


def schema_editor() -> SimpleNamespace:
    """Return a stand-in for the schema editor, which SQLite refuses to open inside a test's
    transaction: the backfills (migrations 0003 and 0006) only read its ``connection``."""
    return SimpleNamespace(connection=connection)
