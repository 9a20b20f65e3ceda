"""Parse and validate query parameters at the HTTP edge; turn bad input into 400 / 404 pages.

The parameters go through the read boundary (``bookstore/read_input.py``) into the DTOs of
``dtos.reads`` and ``dtos.books``. Views raise ``BadInput`` for anything a client typed wrong;
``handles_bad_input`` checks the path segments first, then renders ``BadInput`` as a 400 page
with the message (never a 500), and ``NotFound`` / ``PageOutOfRange`` as a 404.
"""

import functools
from collections.abc import Callable
from typing import Concatenate

from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from fetchplan import NotFound
from fetchplan.observe import render_without_queries

from bookstore.presentation import not_found_message
from bookstore.read_input import BadInput, describe, path_segments, query_params
from dtos.books import BookFilters
from dtos.reads import AuthorPageParams, BookPageParams
from repos.authors import PageOutOfRange
from repos.cursors import InvalidCursor

__all__ = [
    "BadInput",
    "author_page",
    "book_filters",
    "cursor",
    "describe",
    "error_page",
    "handles_bad_input",
    "page_size",
]


def book_filters(query: QueryDict, **fixed: str) -> BookFilters:
    """Return the book filters in ``query`` (empty values count as absent), plus ``fixed``.

    Raises ``BadInput`` naming each bad parameter.
    """
    return query_params(query, BookFilters, **fixed)


def page_size(query: QueryDict) -> int:
    """Return the ``limit`` parameter (1..100, default 20); raise ``BadInput`` otherwise."""
    return query_params(query, BookPageParams).limit


def cursor(query: QueryDict) -> str | None:
    """Return the ``cursor`` parameter, or None when absent or empty; raise ``BadInput``."""
    return query_params(query, BookPageParams).cursor


def author_page(query: QueryDict) -> int:
    """Return the ``page`` parameter of the author list (1..1,000,000, default 1)."""
    return query_params(query, AuthorPageParams).page


def error_page(request: HttpRequest, *, status: int, message: str) -> HttpResponse:
    """Return the error page with ``message`` and ``status``."""
    context = {"status": status, "message": message}
    return render_without_queries(request, "bookstore/error.html", context, status=status)


def handles_bad_input[**P, R: HttpResponseBase](
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R | HttpResponse]:
    """Return ``view`` answering bad input with a 400 page and unknown rows with a 404 page.

    The path segments (``book_id``, a tag's ``name``) are checked before the view runs.
    """

    def guarded(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R | HttpResponse:
        try:
            path_segments(kwargs)
            return view(request, *args, **kwargs)
        except (BadInput, InvalidCursor) as error:
            return error_page(request, status=400, message=str(error))
        except NotFound as error:
            return error_page(request, status=404, message=not_found_message(error))
        except PageOutOfRange as error:
            return error_page(request, status=404, message=str(error))

    functools.update_wrapper(guarded, view)
    return guarded
