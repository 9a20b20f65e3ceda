"""The JSON API at /api/ (django-ninja): the DTOs themselves are the response schemas.

OpenAPI schema at ``/api/openapi.json``, interactive docs at ``/api/docs`` (Swagger UI from
the project's own static files, ``bookstore/api_docs.py``). Errors are JSON
``{"detail": "..."}``: 404 for an unknown id, 400 for any bad parameter (ninja answers 422 by
default; a client's mistake in a query string is a plain 400 here, with a message).

The reads are ``async def`` views calling the async repository functions (``alist_books``,
...): the ORM work runs in Django's sync thread, with the same queries as the sync functions.
Writes and the caller's orders are in ``api_writes`` and ``api_orders``.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from fetchplan import NotFound
from fetchplan.dto import DTO
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, ValidationError

from bookstore import api_orders, api_writes
from bookstore.api_auth import AUTH_REQUIRED, CREDENTIALS_REFUSED, AuthThrottled, unauthorized
from bookstore.api_docs import LOCAL_SWAGGER
from bookstore.api_routes import RowId, routes
from bookstore.error_responses import RETRY_AFTER_SECONDS, database_refusal
from bookstore.presentation import not_found_message
from dtos.authors import AuthorDetail, AuthorPage
from dtos.books import BookDetail, BookFilters, BookPage
from dtos.reads import AuthorPageParams, BookPageParams
from repos.authors import PageOutOfRange, aget_author, alist_authors
from repos.books import aget_book, alist_books, get_book, list_books
from repos.cursors import InvalidCursor

api = NinjaAPI(title="Bookstore API", version="1.0", urls_namespace="api", docs=LOCAL_SWAGGER)


class ErrorDTO(DTO):
    """What went wrong, in a sentence; ``errors`` lists each bad parameter for a 400."""

    detail: str
    errors: tuple[dict[str, str], ...] = ()


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    body = ErrorDTO(detail=detail, **extra).model_dump(mode="json", exclude_defaults=True)
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def _invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = tuple(
        {
            "loc": ".".join(str(part) for part in error.get("loc", ())),
            "msg": str(error.get("msg", "")).removeprefix("Value error, "),
        }
        for error in exc.errors
    )
    detail = "Invalid parameters: " + "; ".join(f"{e['loc']}: {e['msg']}" for e in errors)
    return _error(request, 400, detail, errors=errors)


@api.exception_handler(InvalidCursor)
def _invalid_cursor(request: HttpRequest, exc: InvalidCursor) -> HttpResponse:
    return _error(request, 400, str(exc))


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _error(request, 404, not_found_message(exc))


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_refused(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    """A busy database, a statement timeout or a lost connection (in the view or in the
    authentication step) is a 503 with ``Retry-After``; other errors raise."""
    refusal = database_refusal(exc)
    if refusal is None:
        raise exc
    response = _error(request, 503, refusal)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 with ``WWW-Authenticate``: which credentials to send (bookstore/api_auth.py)."""
    refused = request.headers.get("Authorization")
    detail = CREDENTIALS_REFUSED if refused else AUTH_REQUIRED
    return unauthorized(request, _error(request, 401, detail))


@api.exception_handler(AuthThrottled)
def _auth_throttled(request: HttpRequest, exc: AuthThrottled) -> HttpResponse:
    response = _error(request, 429, str(exc))
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(PageOutOfRange)
def _page_out_of_range(request: HttpRequest, exc: PageOutOfRange) -> HttpResponse:
    return _error(request, 404, str(exc))


async def books(
    request: HttpRequest, filters: Query[BookFilters], page: Query[BookPageParams]
) -> BookPage:
    """List books: the filters, sorts and cursor pages of /books/ (2 queries)."""
    return await alist_books(filters=filters, cursor=page.cursor, limit=page.limit)


def _books_sync(
    request: HttpRequest, filters: Query[BookFilters], page: Query[BookPageParams]
) -> BookPage:
    return list_books(filters=filters, cursor=page.cursor, limit=page.limit)


async def book(request: HttpRequest, book_id: RowId) -> BookDetail:
    """One book with author, publisher, tags, 5 latest reviews, rating counts, stock (3 queries)."""
    return await aget_book(book_id)


def _book_sync(request: HttpRequest, book_id: RowId) -> BookDetail:
    return get_book(book_id)


def _read_view[F: Callable[..., Any]](async_view: F, sync_view: F) -> F:
    """Return ``async_view``, or its sync twin under ``BOOKSTORE_SYNC_API_READS``.

    ``make load`` serves the two busiest reads both ways in one run, to measure async views
    against sync ones (bench/load.py). The twin takes the async view's name and docstring, so
    the OpenAPI schema is the same either way.
    """
    if not settings.BOOKSTORE_SYNC_API_READS:
        return async_view
    sync_view.__name__, sync_view.__doc__ = async_view.__name__, async_view.__doc__
    return sync_view


routes.get("/books", response={200: BookPage, 400: ErrorDTO}, tags=["books"])(
    _read_view(books, _books_sync)
)
routes.get(
    "/books/{book_id}", response={200: BookDetail, 400: ErrorDTO, 404: ErrorDTO}, tags=["books"]
)(_read_view(book, _book_sync))


@routes.get("/authors", response={200: AuthorPage, 400: ErrorDTO, 404: ErrorDTO}, tags=["authors"])
async def authors(request: HttpRequest, params: Query[AuthorPageParams]) -> AuthorPage:
    """List authors by name, 50 a page, with book counts (2 queries)."""
    return await alist_authors(page=params.page)


@routes.get(
    "/authors/{author_id}",
    response={200: AuthorDetail, 400: ErrorDTO, 404: ErrorDTO},
    tags=["authors"],
)
async def author(request: HttpRequest, author_id: RowId) -> AuthorDetail:
    """One author with their 10 latest books, each with its tags (3 queries)."""
    return await aget_author(author_id)


# Reads above; writes and the caller's orders (authenticated) in api_writes and api_orders:
# all on one router, see api_routes. Both modules are imported for their routes.
assert api_writes.ERROR_RESPONSES
assert api_orders.ORDER_RESPONSES
api.add_router("/", routes)
