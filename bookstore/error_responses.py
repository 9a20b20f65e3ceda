"""Errors the framework or the database raise, answered the way a client can use.

``ErrorResponseMiddleware`` does two things:

- Under ``/api/`` every error is JSON ``{"detail": "..."}``: the 404 of an unknown path, the
  405 of a wrong method, the 413 of a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, the 400 of
  too many fields, and the 500 of a bug (logged with its traceback, never shown). An API
  client then parses every answer the same way; ninja's own errors are JSON already.
- Everywhere, a database that is busy (SQLite: a writer still held the lock when the busy
  timeout ran out), a statement cut off by PostgreSQL's ``statement_timeout`` or MariaDB's
  ``max_statement_time``, or a connection
  to the database that was lost or could not be made is a 503 with ``Retry-After``: the
  request may be retried, which a 500 does not say.

A connection can be lost before any view runs (the session lookup of a page, ninja's
authentication step, which ninja hands to the API's exception handlers): ``retry_later`` is
also what the site's ``handler500`` answers when the uncaught error is one of these
(``bookstore/views_site.py``), so no path of a request turns a lost connection into a 500.
"""

import logging
from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

__all__ = [
    "API_PREFIX",
    "BODY_TOO_LARGE",
    "DATABASE_BUSY",
    "DATABASE_TOO_SLOW",
    "DATABASE_UNAVAILABLE",
    "INTERNAL_ERROR",
    "RETRY_AFTER_SECONDS",
    "ErrorResponseMiddleware",
    "connection_lost",
    "database_refusal",
    "retry_later",
]

logger = logging.getLogger("bookstore.errors")

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 1
DATABASE_BUSY = "The database is busy; nothing was done. Retry in a moment."
DATABASE_TOO_SLOW = (
    "The database took too long to answer and the request was stopped; nothing was done. "
    "Retry later, or ask for less (narrower filters, a smaller page)."
)
DATABASE_UNAVAILABLE = (
    "The database connection failed; the request may not have completed. "
    "Retry it (orders: with the same Idempotency-Key)."
)
BODY_TOO_LARGE = "The request body is too large."
INTERNAL_ERROR = "Internal server error; it has been logged."
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
# What Django itself answers with a 4xx (django.core.handlers.exception.response_for_exception).
CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)


# SQLSTATEs of a connection that is gone: class 08 (connection exception), and the server
# shutting the backend down (57P01 pg_terminate_backend or a fast shutdown, 57P02 a crash,
# 57P03 not accepting connections yet).
LOST_CONNECTION_STATES = ("57P01", "57P02", "57P03")
# MariaDB's ER_STATEMENT_TIMEOUT: "Query execution was interrupted (max_statement_time exceeded)".
MARIADB_TIMED_OUT = 1969


def connection_lost(error: BaseException) -> bool:
    """Return True if ``error`` says the database connection is gone or could not be made.

    Django raises ``InterfaceError`` for a connection closed under it ("connection already
    closed"). psycopg raises ``OperationalError`` with SQLSTATE 57P01 when the backend is
    terminated, class 08 on connection failures, and no SQLSTATE at all when the server closed
    the socket or could not be reached (its errors without a server-side cause).
    """
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if cause is None or not type(cause).__module__.startswith("psycopg"):
        return False  # SQLite's OperationalErrors ("disk I/O error") are not connection losses
    state = getattr(cause, "sqlstate", None)
    return state is None or state.startswith("08") or state in LOST_CONNECTION_STATES


def database_refusal(error: BaseException) -> str | None:
    """Return the client's message if ``error`` is a busy, timed-out or unreachable database.

    SQLite reports a lock it could not get within the busy timeout as "database is locked"
    (or "database table is locked" in shared-cache memory databases); psycopg's
    ``QueryCanceled`` (SQLSTATE 57014) is PostgreSQL's ``statement_timeout``, MariaDB's error
    1969 its ``max_statement_time`` (only that code: 1317, a query killed by hand, is not a
    timeout); a lost
    connection is ``connection_lost``. Returns None for any other error.
    """
    if connection_lost(error):
        return DATABASE_UNAVAILABLE
    if not isinstance(error, OperationalError):
        return None
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == "57014" or _mariadb_code(cause) == MARIADB_TIMED_OUT:
        return DATABASE_TOO_SLOW
    if "locked" in str(error) or "database is busy" in str(error):
        return DATABASE_BUSY
    return None


def _mariadb_code(cause: BaseException | None) -> object:
    """Return the error number of a ``mysqlclient`` error (its first argument), else None."""
    if cause is None or not type(cause).__module__.startswith("MySQLdb") or not cause.args:
        return None
    return cause.args[0]


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


class ErrorResponseMiddleware:
    """JSON errors under ``/api/``; a 503 with ``Retry-After`` for a busy database anywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        """Return the response, turned into JSON if it is an API error that is not JSON."""
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        converted = _json_error(status, _phrase(status))
        for header in KEPT_HEADERS:
            if header in response:
                converted[header] = response[header]
        return converted

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer a busy database with 503 and, under ``/api/``, every other error as JSON."""
        refusal = database_refusal(exception)
        if refusal is not None:
            return retry_later(request, refusal, exception)
        if not _is_api(request):
            return None  # Django's own handling: the 400/403/404/500 pages
        if isinstance(exception, RequestDataTooBig):
            return _json_error(413, BODY_TOO_LARGE)
        if isinstance(exception, CLIENT_ERRORS):
            return None  # Django answers 400/403/404; __call__ turns that page into JSON
        trace = (type(exception), exception, exception.__traceback__)
        logger.error("500 for %s %s", request.method, request.path, exc_info=trace)
        return _json_error(500, INTERNAL_ERROR)


def retry_later(request: HttpRequest, refusal: str, exception: BaseException) -> HttpResponse:
    """Return the 503 with ``Retry-After`` for a database refusal: JSON under ``/api/``.

    The page is rendered without the request: its session or user may need the database
    that just refused (the header then shows a visitor).
    """
    logger.warning("503 for %s %s: %s", request.method, request.path, exception)
    if _is_api(request):
        response: HttpResponse = _json_error(503, refusal)
    else:
        context = {"title": "Busy", "message": refusal}
        page = render_to_string("bookstore/retry_later.html", context)
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _phrase(status: int) -> str:
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return f"HTTP {status}."
