"""Set Django up for a measurement run as ``python -m bench.<script>``, outside manage.py.

The scripts measure on a throwaway database made by Django's test machinery, so the defaults
are an in-memory SQLite database and a key that is only good for that; ``DATABASE_URL`` in the
environment points them at PostgreSQL instead.
"""

import os

import django


def setup_django() -> None:
    """Configure the bookstore's settings from the environment (with the defaults above)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    django.setup()
