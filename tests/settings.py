"""Settings for the bookstore's test suite (the library's suite has its own, beside it).

The database still comes from ``DATABASE_URL`` (``make test`` runs the suite once on SQLite
and once on PostgreSQL). A fixed SECRET_KEY is set here so tests never depend on the
developer's environment.
"""

import os
import tempfile
import zlib
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# The test client speaks plain HTTP: production's redirect to HTTPS would answer every request
# with a 301. tests/writes/test_deploy.py checks the production defaults in a subprocess.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# PostgreSQL's statement timeout stays on, but long enough that bulk test data on a busy shared
# machine is not stopped (a 200,000-row test's foreign-key check took over 5 s). The 503 it
# leads to is tested with a short SET LOCAL (tests/hostile/test_errors.py).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "60")

from bookstore.settings import *  # noqa: F403
from bookstore.settings import BASE_DIR, DATABASES

# Fast hashing keeps tests that create users quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No rate limits by default: the matrix and the fuzzers send thousands of requests from one
# address. tests/hostile/test_limits.py turns each limit on and checks it.
BOOKSTORE_EXPORTS_PER_MINUTE = 0
BOOKSTORE_AUTH_FAILURES_PER_MINUTE = 0

# SQLite: the test database is a file, as in production (bookstore/env.py gives it IMMEDIATE
# transactions and a busy timeout), not the default shared-cache memory database, where a
# blocked writer fails at once ("database table is locked") instead of waiting. Named after
# the checkout, so two checkouts never share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _checkout = os.environ.get("CHECKOUT_ID") or f"{zlib.crc32(str(BASE_DIR).encode()):08x}"
    _test_file = Path(tempfile.gettempdir()) / f"test_bookstore_{_checkout}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_file)}
    # Durability is no concern of a test database: skip the fsync of each commit.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"
