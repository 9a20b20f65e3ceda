"""Parse and validate query parameters at the HTTP edge; turn bad input into 400 / 404 pages.

Views raise ``BadInput`` for anything a client typed wrong; ``handles_bad_input`` renders it as
a 400 page with the message (never a 500), and ``NotFound`` / ``PageOutOfRange`` as a 404.
"""

import functools
from collections.abc import Callable
from typing import Concatenate

from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from fetchplan import NotFound
from fetchplan.observe import render_without_queries
from pydantic import ValidationError

from bookstore.presentation import not_found_message
from dtos.books import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, BookFilters
from repos.authors import PageOutOfRange
from repos.cursors import InvalidCursor

FILTER_KEYS = ("tag", "author", "publisher", "price_min", "price_max", "q", "sort")
MAX_ID = 2**63 - 1  # a larger id cannot exist (and would overflow the database's integer)
NOT_A_NUMBER = "{name} must be a whole number between {low} and {high}, got {value!r}."


class BadInput(ValueError):
    """A query parameter the client got wrong; the message says which and why."""


def describe(error: ValidationError) -> str:
    """Return a one-line, human message for a pydantic validation error."""
    parts = []
    for problem in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in problem["loc"] if part != "__root__")
        message = problem["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def book_filters(query: QueryDict, **fixed: str) -> BookFilters:
    """Return the book filters in ``query`` (empty values count as absent), plus ``fixed``.

    Raises ``BadInput`` naming each bad parameter.
    """
    data: dict[str, str] = {}
    for key in FILTER_KEYS:
        value = query.get(key)
        if isinstance(value, str) and value != "":
            data[key] = value
    data.update(fixed)
    try:
        return BookFilters.model_validate(data)
    except ValidationError as error:
        raise BadInput(describe(error)) from error


def whole_number(query: QueryDict, name: str, *, default: int, low: int, high: int) -> int:
    """Return the integer parameter ``name`` within [low, high]; raise ``BadInput`` otherwise."""
    raw = query.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise BadInput(NOT_A_NUMBER.format(name=name, low=low, high=high, value=raw[:50]))
    return int(raw)


def page_size(query: QueryDict) -> int:
    """Return the ``limit`` parameter (1..100, default 20)."""
    return whole_number(query, "limit", default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)


def cursor(query: QueryDict) -> str | None:
    """Return the ``cursor`` parameter, or None when absent or empty."""
    return query.get("cursor") or None


def error_page(request: HttpRequest, *, status: int, message: str) -> HttpResponse:
    """Return the error page with ``message`` and ``status``."""
    context = {"status": status, "message": message}
    return render_without_queries(request, "bookstore/error.html", context, status=status)


def handles_bad_input[**P, R: HttpResponseBase](
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R | HttpResponse]:
    """Return ``view`` answering bad input with a 400 page and unknown rows with a 404 page."""

    def guarded(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R | HttpResponse:
        try:
            for name, value in kwargs.items():
                if name.endswith("_id") and isinstance(value, int) and value > MAX_ID:
                    raise NotFound("Row", {name: value})
            return view(request, *args, **kwargs)
        except (BadInput, InvalidCursor) as error:
            return error_page(request, status=400, message=str(error))
        except NotFound as error:
            return error_page(request, status=404, message=not_found_message(error))
        except PageOutOfRange as error:
            return error_page(request, status=404, message=str(error))

    functools.update_wrapper(guarded, view)
    return guarded
