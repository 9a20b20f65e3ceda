"""Read settings from the environment, refusing bad values with a message that names them.

``bookstore/settings.py`` calls these; each error is an ``ImproperlyConfigured`` whose text is
a constant here, so a typo in a deployment's environment stops the start with one clear line
instead of a traceback from deep inside Django (or, worse, a silently wrong value).
"""

import os
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "BAD_DATABASE_URL",
    "INVALID_INTEGER",
    "MISSING_SECRET_KEY",
    "STATEMENT_TIMEOUT_KEY",
    "TOO_LARGE_INTEGER",
    "database_config",
    "env_flag",
    "env_int",
    "env_list",
    "secret_key",
]

TRUTHY = {"1", "true", "yes", "on"}
POOL_TIMEOUT = 10  # seconds a request waits for a pooled connection before an error (a 503)
MAX_SETTING_INTEGER = 10**9  # seconds or milliseconds: far beyond any sensible value

MISSING_SECRET_KEY = (
    "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
    "(or DEBUG=1 for local development only)."
)
INVALID_INTEGER = (
    "The environment variable {name} must be a whole number of seconds, not {value!r}."
)
TOO_LARGE_INTEGER = "The environment variable {name} must be at most {high}, not {value}."
BAD_DATABASE_URL = "DATABASE_URL is not a database URL dj-database-url understands: {reason}"


# The key of a DATABASES entry holding DATABASE_STATEMENT_TIMEOUT for MariaDB (seconds), which
# bookstore.db_session sets as max_statement_time on each new connection.
STATEMENT_TIMEOUT_KEY = "MARIADB_MAX_STATEMENT_TIME"


def env_flag(name: str, *, default: bool = False) -> bool:
    """Read a boolean environment variable (``1``/``true``/``yes``/``on`` are true)."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUTHY


def env_int(name: str, *, default: int, high: int = MAX_SETTING_INTEGER) -> int:
    """Read a whole number (0..``high``) from the environment; blank or unset means ``default``.

    Raises ``ImproperlyConfigured`` for anything else: ``abc``, ``-1``, ``1.5``, ``10**400``.
    """
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        raise ImproperlyConfigured(INVALID_INTEGER.format(name=name, value=value))
    if len(text) > len(str(high)) or int(text) > high:  # len first: int() of 10**5000 is slow
        raise ImproperlyConfigured(TOO_LARGE_INTEGER.format(name=name, high=high, value=text))
    return int(text)


def env_list(name: str, *, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list (blank items dropped)."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key(*, debug: bool, dev_key: str) -> str:
    """Return ``SECRET_KEY`` from the environment; ``dev_key`` only when ``debug`` is on.

    A key of only whitespace counts as unset. Raises ``ImproperlyConfigured`` without a key.
    """
    key = os.environ.get("SECRET_KEY", "").strip()
    if not key and debug:
        key = dev_key
    if not key:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
    return key


def database_config(
    url: str,
    *,
    conn_max_age: int,
    statement_timeout: int,
    sqlite_busy_timeout: int,
    pool_size: int = 0,
) -> dict[str, Any]:
    """Return the ``DATABASES["default"]`` entry for ``url``.

    ``CONN_HEALTH_CHECKS`` is on: a persistent connection (``conn_max_age`` > 0) is checked
    before its first use in each request and replaced if the server dropped it, instead of
    failing that request.

    PostgreSQL connections get ``statement_timeout`` (seconds; 0 turns it off) as a server
    option, so one slow query cannot hold a worker and a connection for ever; MariaDB ones get
    it as ``max_statement_time`` from ``bookstore.db_session`` (the entry's
    ``STATEMENT_TIMEOUT_KEY``). An SQLite file gets ``IMMEDIATE`` transactions (a transaction
    takes the write lock when it starts, so two writers queue instead of both reading and then
    failing to upgrade) and waits up to ``sqlite_busy_timeout`` seconds for a lock before
    "database is locked".

    ``pool_size`` > 0 on PostgreSQL turns on psycopg's connection pool (Django's
    ``OPTIONS["pool"]``): up to that many connections per process, each checked when it is
    taken from the pool (a connection the server dropped is replaced), and a request waits at
    most ``POOL_TIMEOUT`` seconds for one. A pool replaces persistent connections:
    ``CONN_MAX_AGE`` is then 0, as Django requires.
    """
    try:
        parsed = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
        config: dict[str, Any] = dict(parsed)
    except (ValueError, dj_database_url.UnknownSchemeError) as error:
        raise ImproperlyConfigured(BAD_DATABASE_URL.format(reason=error)) from None
    options: dict[str, Any] = dict(config.get("OPTIONS") or {})
    if config["ENGINE"] == "django.db.backends.postgresql" and statement_timeout > 0:
        options["options"] = f"-c statement_timeout={statement_timeout * 1000}"
    if config["ENGINE"] == "django.db.backends.mysql":
        options.setdefault("charset", "utf8mb4")  # all of Unicode (MySQL's utf8 is 3 bytes)
        if statement_timeout > 0:  # MariaDB's max_statement_time, set by bookstore.db_session
            config[STATEMENT_TIMEOUT_KEY] = statement_timeout
    if config["ENGINE"] == "django.db.backends.postgresql" and pool_size > 0:
        from psycopg_pool import ConnectionPool

        check = ConnectionPool.check_connection
        options["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            "timeout": POOL_TIMEOUT,
            "check": check,
        }
        config["CONN_MAX_AGE"] = 0
    if config["ENGINE"] == "django.db.backends.sqlite3":
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", sqlite_busy_timeout)
    if options:
        config["OPTIONS"] = options
    return config
