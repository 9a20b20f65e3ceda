"""Settings for the bookstore's test suite (the library's suite has its own, beside it).

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

# Fast hashing keeps tests that create users quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
