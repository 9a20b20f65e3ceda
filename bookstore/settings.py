"""Django settings for the bookstore.

Everything that differs between machines comes from the environment:

- ``DATABASE_URL``: any URL dj-database-url understands; default: an SQLite file ``db.sqlite3``
  beside ``manage.py`` (the embedded default).
- ``DEBUG``: ``1``/``true``/``yes`` turns it on; off unless asked (``make demo`` asks).
- ``SECRET_KEY``: required when DEBUG is off; a fixed, insecure key is used only in DEBUG.
- ``ALLOWED_HOSTS``: comma-separated; default ``127.0.0.1,localhost``.
"""

import importlib.util
import os
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Generic Django classes (QuerySet[Book], Prefetch[Review]) become subscriptable at runtime.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

TRUTHY = {"1", "true", "yes", "on"}


def env_flag(name: str, *, default: bool = False) -> bool:
    """Read a boolean environment variable (``1``/``true``/``yes``/``on`` are true)."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUTHY


DEBUG = env_flag("DEBUG")

_DEV_SECRET_KEY = "insecure-dev-key-only-used-with-DEBUG-on"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
        "(or DEBUG=1 for local development only)."
    )

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "repos",
    "bookstore",
]

MIDDLEWARE = [
    # First, so every query of the request counts; off (MiddlewareNotUsed) unless DEBUG.
    "repos.observe.middleware.QueryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# django-debug-toolbar for the HTML pages in development (`make demo`): only with DEBUG, when
# installed (a dev dependency), and never under tests, where it refuses to run.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
INTERNAL_IPS = ["127.0.0.1"]
if DEBUG and not TESTING and importlib.util.find_spec("debug_toolbar") is not None:
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(1, "debug_toolbar.middleware.DebugToolbarMiddleware")

ROOT_URLCONF = "bookstore.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "bookstore.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "repos": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
