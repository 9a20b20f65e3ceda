"""Production settings: ``check --deploy`` is clean with the defaults, and each unsafe choice
is reported; SECRET_KEY must come from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from bookstore.env import INVALID_INTEGER, MISSING_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py with production settings and only the given environment."""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "bookstore.settings",
        "DATABASE_URL": "sqlite:///:memory:",
        "ALLOWED_HOSTS": "shop.example",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def strong_key() -> str:
    return secrets.token_urlsafe(64)


def test_check_deploy_is_clean_with_the_defaults() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=strong_key())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "check_id"),
    [
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SESSION_COOKIE_SECURE": "0"}, "security.W012"),
        ({"CSRF_COOKIE_SECURE": "0"}, "security.W016"),
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "0"}, "security.W005"),
        ({"DEBUG": "1"}, "security.W018"),
        ({"SECRET_KEY": "short"}, "security.W009"),
    ],
)
def test_each_unsafe_choice_is_reported(env: dict[str, str], check_id: str) -> None:
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **{"SECRET_KEY": strong_key(), **env}
    )
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout


def test_start_fails_without_secret_key() -> None:
    result = manage("check")
    assert result.returncode != 0
    assert MISSING_SECRET_KEY in result.stderr


def test_a_malformed_number_is_a_clear_error() -> None:
    result = manage("check", SECRET_KEY=strong_key(), SECURE_HSTS_SECONDS="a year")
    assert result.returncode != 0
    assert INVALID_INTEGER.format(name="SECURE_HSTS_SECONDS", value="a year") in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CONN_MAX_AGE": "abc"}, INVALID_INTEGER.format(name="CONN_MAX_AGE", value="abc")),
        ({"CONN_MAX_AGE": "-1"}, INVALID_INTEGER.format(name="CONN_MAX_AGE", value="-1")),
        (
            {"DATABASE_STATEMENT_TIMEOUT": "5s"},
            INVALID_INTEGER.format(name="DATABASE_STATEMENT_TIMEOUT", value="5s"),
        ),
        ({"SECRET_KEY": ""}, MISSING_SECRET_KEY),
        ({"SECRET_KEY": "   "}, MISSING_SECRET_KEY),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not a database URL"),
    ],
)
def test_a_bad_setting_stops_the_start_with_one_clear_line(
    env: dict[str, str], message: str
) -> None:
    result = manage("check", **{"SECRET_KEY": strong_key(), **env})
    assert result.returncode != 0
    assert message in result.stderr
    assert "ImproperlyConfigured" in result.stderr  # Django's own, not some later crash


def test_production_database_options_by_default() -> None:
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    postgres = manage(
        "shell", "-v", "0", "-c", code, SECRET_KEY=strong_key(),
        DATABASE_URL="postgres://u@127.0.0.1:5432/db",
    )  # fmt: skip
    assert postgres.stdout.strip() == "{'options': '-c statement_timeout=5000'}", postgres.stderr
    sqlite = manage("shell", "-v", "0", "-c", code, SECRET_KEY=strong_key(),
                    DATABASE_URL="sqlite:////tmp/x.sqlite3")  # fmt: skip
    assert sqlite.stdout.strip() == "{'transaction_mode': 'IMMEDIATE', 'timeout': 10}"
