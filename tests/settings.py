"""Settings for the test suite: the bookstore's, plus the engine's own test models.

The database still comes from ``DATABASE_URL`` (``make test`` runs the suite once on SQLite
and once on PostgreSQL). A fixed SECRET_KEY is set here so tests never depend on the
developer's environment.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# The test client speaks plain HTTP: production's redirect to HTTPS would answer every request
# with a 301. tests/writes/test_deploy.py checks the production defaults in a subprocess.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from bookstore.settings import *  # noqa: F403
from bookstore.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# A second database, for the engine tests that pass `using=` or a queryset's `.using()`. Its
# backend quotes names with backticks, so SQL compiled for it differs from SQL compiled for
# "default" on both test runs (SQLite and PostgreSQL). Tables are made from the models (no
# migrations): only the tests that ask for it (`databases=[..., "other"]`) create it.
DATABASES = {
    **DATABASES,
    "other": {
        "ENGINE": "tests.testapp.backtick_sqlite",
        "NAME": ":memory:",
        "TEST": {"MIGRATE": False},
    },
}

# Fast hashing keeps tests that create users quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
