"""Django settings for the bookstore.

Everything that differs between machines comes from the environment:

- ``DATABASE_URL``: any URL dj-database-url understands; default: an SQLite file ``db.sqlite3``
  beside ``manage.py`` (the embedded default).
- ``DEBUG``: ``1``/``true``/``yes`` turns it on; off unless asked (``make demo`` asks).
- ``SECRET_KEY``: required when DEBUG is off; a fixed, insecure key is used only in DEBUG.
- ``ALLOWED_HOSTS``: comma-separated; default ``127.0.0.1,localhost``.
- ``CSRF_TRUSTED_ORIGINS``: comma-separated origins (``https://shop.example``); default none.
- HTTPS, each safe by default when DEBUG is off (and relaxed when it is on):
  ``SECURE_SSL_REDIRECT`` (on), ``SECURE_HSTS_SECONDS`` (31536000, one year),
  ``SECURE_HSTS_INCLUDE_SUBDOMAINS`` (on), ``SECURE_HSTS_PRELOAD`` (on),
  ``SESSION_COOKIE_SECURE`` and ``CSRF_COOKIE_SECURE`` (on).
- ``SECURE_PROXY_SSL_HEADER``: the header a TLS-terminating proxy sets, e.g.
  ``HTTP_X_FORWARDED_PROTO`` (then ``https`` in it means the request was secure); default none.
- ``FETCHPLAN_QUERY_MIDDLEWARE``: run the query middleware (``Server-Timing``) even without DEBUG;
  ``make load`` sets it to count queries per request.
- ``DATABASE_POOL_SIZE`` (0, off): psycopg's connection pool, that many connections per process.
- ``DATABASE_REPLICA_URLS``: read replicas of ``DATABASE_URL`` (comma-separated); none by default.
- ``CONN_MAX_AGE`` (0), ``DATABASE_STATEMENT_TIMEOUT`` (PostgreSQL, MariaDB; 5 s; 0 is off),
  ``SQLITE_BUSY_TIMEOUT`` (10 s): the database connection (``bookstore/env.py``).
- ``BOOKSTORE_EXPORTS_PER_MINUTE`` (6), ``BOOKSTORE_AUTH_FAILURES_PER_MINUTE`` (20): rate
  limits per client address (``bookstore/throttle.py``); 0 is no limit.

Numbers must be whole numbers and ``SECRET_KEY`` not blank: anything else stops the start
with one line naming the variable.

With DEBUG off and these defaults, ``manage.py check --deploy`` reports no issue
(``tests/writes/test_deploy.py``).
"""

import importlib.util
import os
import sys
import warnings
from pathlib import Path

import django_stubs_ext

from bookstore.env import (
    database_config,
    env_flag,
    env_int,
    env_list,
    secret_key,
)

# Generic Django classes (QuerySet[Book], Prefetch[Review]) become subscriptable at runtime.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_flag("DEBUG")

SECRET_KEY = secret_key(debug=DEBUG, dev_key="insecure-dev-key-only-used-with-DEBUG-on")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default="127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS: on unless DEBUG (a development server speaks plain HTTP). Each can be turned off by
# the environment, e.g. SECURE_SSL_REDIRECT=0 behind a proxy that already redirects.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", default=not DEBUG)
_PROXY_SSL_HEADER = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https") if _PROXY_SSL_HEADER else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if "FETCHPLAN_QUERY_MIDDLEWARE" in os.environ:
    FETCHPLAN_QUERY_MIDDLEWARE = env_flag("FETCHPLAN_QUERY_MIDDLEWARE")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "fetchplan",
    "bookstore",
    # django-ninja as an app: /api/docs then loads Swagger UI from its static files instead of
    # a CDN (a blank page offline, and a third-party script in production).
    "ninja",
]

# The bookstore's repository functions and plans live in the top-level ``repos`` package, not
# in an app's ``repos`` module, so the library's autodiscovery is told where they are.
FETCHPLAN_REPOS_MODULES = ["repos"]

MIDDLEWARE = [
    # First, so every query of the request counts; off (MiddlewareNotUsed) unless DEBUG.
    "fetchplan.observe.middleware.QueryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files without DEBUG (gunicorn, production): the site's CSS and icon, Swagger UI.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # JSON errors under /api/, 503 + Retry-After for a busy database (around all that follows).
    "bookstore.error_responses.ErrorResponseMiddleware",
    # Each request's own read-your-writes scope (only matters with DATABASE_REPLICA_URLS).
    "fetchplan.routing.ReadYourWritesMiddleware",
    # Before the session is read: a bad query string or path is a 400 before any query.
    "bookstore.read_input.ScreenQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads the logged-in user before a page's view, so templates name it without querying.
    "bookstore.middleware.LoadUserForPages",
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
# Expanded, the toolbar covers the right of every page (the books' price and rating) on a
# first visit; collapsed, it is a small handle that opens it.
DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}

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
    "default": database_config(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", default=0),
        statement_timeout=env_int("DATABASE_STATEMENT_TIMEOUT", default=5),
        sqlite_busy_timeout=env_int("SQLITE_BUSY_TIMEOUT", default=10),
        pool_size=env_int("DATABASE_POOL_SIZE", default=0),
    )
}

# Read replicas (opt in): DATABASE_REPLICA_URLS, comma-separated, each a streaming replica of
# DATABASE_URL. Plan reads then go to a replica and writes to the primary, with
# read-your-writes per request (fetchplan.routing, docs/scaling.md). Unset: one database.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{_number}"] = {
        **database_config(
            _url,
            conn_max_age=env_int("CONN_MAX_AGE", default=0),
            statement_timeout=env_int("DATABASE_STATEMENT_TIMEOUT", default=5),
            sqlite_busy_timeout=env_int("SQLITE_BUSY_TIMEOUT", default=10),
        ),
        "TEST": {"MIRROR": "default"},
    }
FETCHPLAN_READ_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica")]
DATABASE_ROUTERS = ["fetchplan.routing.ReplicaRouter"]

# Serve GET /api/books and /api/books/{id} with sync views instead of async ones: `make load`
# measures both in one run (bookstore/api.py, bench/load.py). Off: the async views.
BOOKSTORE_SYNC_API_READS = env_flag("BOOKSTORE_SYNC_API_READS")

# Rate limits per client address (bookstore/throttle.py), counted in the default cache:
# CSV exports started per minute, and failed API authentications per minute.
BOOKSTORE_EXPORTS_PER_MINUTE = env_int("BOOKSTORE_EXPORTS_PER_MINUTE", default=6)
BOOKSTORE_AUTH_FAILURES_PER_MINUTE = env_int("BOOKSTORE_AUTH_FAILURES_PER_MINUTE", default=20)
# The local-memory cache counts per process; with several processes, a shared cache (Redis,
# memcached) makes the limits exact.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# WhiteNoise finds the apps' static files where they are, so a deployment without
# `collectstatic` still serves them (a few dozen files, indexed once at startup).
WHITENOISE_USE_FINDERS = True
# Without `collectstatic`, STATIC_ROOT does not exist and WhiteNoise says so on every start;
# the finders above serve the files all the same.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

LOGIN_URL = "login"
# Django's default (/accounts/profile/) does not exist here: after logging in without a
# `next` page, and after logging out, the reader lands on the home page.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "fetchplan": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
