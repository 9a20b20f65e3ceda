"""Settings from the environment: numbers, the secret key, and the database options."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from bookstore.env import (
    BAD_DATABASE_URL,
    INVALID_INTEGER,
    MISSING_SECRET_KEY,
    STATEMENT_TIMEOUT_KEY,
    TOO_LARGE_INTEGER,
    database_config,
    env_int,
    secret_key,
)


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "1e3", "٣", "0x10"])
def test_env_int_refuses_what_is_not_a_whole_number(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("X_SECONDS", value)
    with pytest.raises(ImproperlyConfigured) as info:
        env_int("X_SECONDS", default=3)
    assert str(info.value) == INVALID_INTEGER.format(name="X_SECONDS", value=value)


@pytest.mark.parametrize("value", [str(10**9 + 1), "9" * 5000])
def test_env_int_refuses_a_huge_number(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("X_SECONDS", value)
    with pytest.raises(ImproperlyConfigured) as info:
        env_int("X_SECONDS", default=3)
    assert str(info.value) == TOO_LARGE_INTEGER.format(name="X_SECONDS", high=10**9, value=value)


@pytest.mark.parametrize(("value", "expected"), [(None, 3), ("", 3), (" 7 ", 7), ("0", 0)])
def test_env_int_reads_numbers_and_defaults(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int
) -> None:
    if value is None:
        monkeypatch.delenv("X_SECONDS", raising=False)
    else:
        monkeypatch.setenv("X_SECONDS", value)
    assert env_int("X_SECONDS", default=3) == expected


@pytest.mark.parametrize("value", ["", "  ", "\t"])
def test_a_blank_secret_key_is_missing(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SECRET_KEY", value)
    with pytest.raises(ImproperlyConfigured) as info:
        secret_key(debug=False, dev_key="dev")
    assert str(info.value) == MISSING_SECRET_KEY
    assert secret_key(debug=True, dev_key="dev") == "dev"


def test_postgresql_connections_get_the_statement_timeout() -> None:
    config = database_config(
        "postgres://u@127.0.0.1:5432/db", conn_max_age=60, statement_timeout=5,
        sqlite_busy_timeout=10,
    )  # fmt: skip
    assert config["OPTIONS"] == {"options": "-c statement_timeout=5000"}
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True  # a dropped persistent connection is replaced
    off = database_config(
        "postgres://u@127.0.0.1:5432/db", conn_max_age=0, statement_timeout=0,
        sqlite_busy_timeout=10,
    )  # fmt: skip
    assert "OPTIONS" not in off


def test_mariadb_connections_get_the_statement_timeout() -> None:
    """The seconds bookstore.db_session sets as max_statement_time; not in OPTIONS, which
    mysqlclient would take as connect arguments."""
    config = database_config(
        "mysql://u:p@127.0.0.1:3306/db", conn_max_age=0, statement_timeout=5,
        sqlite_busy_timeout=10,
    )  # fmt: skip
    assert config[STATEMENT_TIMEOUT_KEY] == 5
    assert config["OPTIONS"] == {"charset": "utf8mb4"}
    off = database_config(
        "mysql://u:p@127.0.0.1:3306/db", conn_max_age=0, statement_timeout=0,
        sqlite_busy_timeout=10,
    )  # fmt: skip
    assert STATEMENT_TIMEOUT_KEY not in off


def test_sqlite_gets_immediate_transactions_and_a_busy_timeout() -> None:
    config = database_config(
        "sqlite:////tmp/x.sqlite3", conn_max_age=0, statement_timeout=5, sqlite_busy_timeout=10
    )
    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 10}


def test_a_url_of_no_known_database_is_a_clear_error() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        database_config("nosuchdb://x", conn_max_age=0, statement_timeout=5, sqlite_busy_timeout=1)
    assert str(info.value).startswith(BAD_DATABASE_URL.format(reason="")[:30])


def test_a_pool_size_turns_on_psycopgs_pool_with_a_check_and_no_persistent_connections() -> None:
    from psycopg_pool import ConnectionPool

    config = database_config(
        "postgres://u@127.0.0.1:5432/db", conn_max_age=60, statement_timeout=5,
        sqlite_busy_timeout=10, pool_size=4,
    )  # fmt: skip
    pool = config["OPTIONS"]["pool"]
    assert (pool["max_size"], pool["check"]) == (4, ConnectionPool.check_connection)
    assert config["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    sqlite = database_config(
        "sqlite:////tmp/x.sqlite3", conn_max_age=0, statement_timeout=5, sqlite_busy_timeout=10,
        pool_size=4,
    )  # fmt: skip
    assert "pool" not in sqlite["OPTIONS"]
