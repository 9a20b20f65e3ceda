"""Django settings for the library's own test suite: the test app, no bookstore.

The database comes from ``DATABASE_URL`` (default: SQLite in memory); the library's make
targets run the suite once on SQLite and once on PostgreSQL, on each supported Django.
Nothing here calls ``django_stubs_ext.monkeypatch()``: the library must import without it.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url

_CHECKOUT = os.environ.get("CHECKOUT_ID") or str(os.getpid())

SECRET_KEY = "fetchplan-tests-only-not-a-secret"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "fetchplan",
    "fetchplan_tests.testapp",
]

# First, so every query of a request counts; it runs only when DEBUG or enabled (the tests
# enable it with override_settings).
MIDDLEWARE = ["fetchplan.observe.middleware.QueryMiddleware"]
ROOT_URLCONF = "fetchplan_tests.observe.urls"

TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]

DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://:memory:")),
    # A second database, for the engine tests that pass `using=` or a queryset's `.using()`.
    # Its backend quotes names in square brackets, so SQL compiled for it differs from SQL
    # compiled for "default" on every test run (SQLite, PostgreSQL, MariaDB). Tables are made
    # from the models (no migrations): only the tests that ask for it
    # (`databases=[..., "other"]`) create it.
    "other": {
        "ENGINE": "fetchplan_tests.testapp.bracket_sqlite",
        "NAME": ":memory:",
        "TEST": {"MIGRATE": False},
    },
    # A SQLite file (closing it really closes it) whose backend runs statements of its own on
    # each new connection, like MySQL's (observe/test_connection_setup.py). No tables.
    "chatty": {
        "ENGINE": "fetchplan_tests.testapp.chatty_sqlite",
        "NAME": str(Path(tempfile.gettempdir()) / f"fetchplan_chatty_{_CHECKOUT}.sqlite3"),
        "TEST": {
            "MIGRATE": False,
            "NAME": str(Path(tempfile.gettempdir()) / f"test_fetchplan_chatty_{_CHECKOUT}.sqlite3"),
        },
    },
}
# On PostgreSQL, a read replica for the routing tests (tests/fetchplan_tests/routing): the
# `replica` fixture starts a streaming replica of the local cluster and points this alias at
# it. Until then it reaches the primary. A test mirror of "default": it uses the test
# database's name and is never created, migrated or flushed. FETCHPLAN_READ_REPLICAS stays
# unset here: the routing tests turn it on for themselves.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
