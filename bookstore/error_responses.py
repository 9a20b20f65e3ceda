"""Errors the framework or the database raise, answered the way a client can use.

``ErrorResponseMiddleware`` does two things:

- Under ``/api/`` every error is JSON ``{"detail": "..."}``: the 404 of an unknown path, the
  405 of a wrong method, the 413 of a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, the 400 of
  too many fields, and the 500 of a bug (logged with its traceback, never shown). An API
  client then parses every answer the same way; ninja's own errors are JSON already.
- Everywhere, a database that is busy (SQLite: a writer still held the lock when the busy
  timeout ran out) or a statement cut off by PostgreSQL's ``statement_timeout`` is a 503 with
  ``Retry-After``: the request did nothing and may be retried, which a 500 does not say.
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
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

__all__ = [
    "API_PREFIX",
    "BODY_TOO_LARGE",
    "DATABASE_BUSY",
    "DATABASE_TOO_SLOW",
    "INTERNAL_ERROR",
    "RETRY_AFTER_SECONDS",
    "ErrorResponseMiddleware",
    "database_refusal",
]

logger = logging.getLogger("bookstore.errors")

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 1
DATABASE_BUSY = "The database is busy; nothing was done. Retry in a moment."
DATABASE_TOO_SLOW = (
    "The database took too long to answer and the request was stopped; nothing was done. "
    "Retry later, or ask for less (narrower filters, a smaller page)."
)
BODY_TOO_LARGE = "The request body is too large."
INTERNAL_ERROR = "Internal server error; it has been logged."
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
# What Django itself answers with a 4xx (django.core.handlers.exception.response_for_exception).
CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)


def database_refusal(error: BaseException) -> str | None:
    """Return the client's message if ``error`` is a busy or timed-out database, else None.

    SQLite reports a lock it could not get within the busy timeout as "database is locked"
    (or "database table is locked" in shared-cache memory databases); psycopg's
    ``QueryCanceled`` (SQLSTATE 57014) is PostgreSQL's ``statement_timeout``.
    """
    if not isinstance(error, OperationalError):
        return None
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == "57014":
        return DATABASE_TOO_SLOW
    if "locked" in str(error) or "database is busy" in str(error):
        return DATABASE_BUSY
    return None


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
            logger.warning("503 for %s %s: %s", request.method, request.path, exception)
            if _is_api(request):
                response: HttpResponse = _json_error(503, refusal)
            else:
                context = {"title": "Busy", "message": refusal}
                response = render(request, "bookstore/retry_later.html", context, status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if not _is_api(request):
            return None  # Django's own handling: the 400/403/404/500 pages
        if isinstance(exception, RequestDataTooBig):
            return _json_error(413, BODY_TOO_LARGE)
        if isinstance(exception, CLIENT_ERRORS):
            return None  # Django answers 400/403/404; __call__ turns that page into JSON
        trace = (type(exception), exception, exception.__traceback__)
        logger.error("500 for %s %s", request.method, request.path, exc_info=trace)
        return _json_error(500, INTERNAL_ERROR)


def _phrase(status: int) -> str:
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return f"HTTP {status}."
