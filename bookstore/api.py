"""The JSON API at /api/ (django-ninja): the DTOs themselves are the response schemas.

OpenAPI schema at ``/api/openapi.json``, interactive docs at ``/api/docs`` (Swagger UI from
the project's own static files, ``bookstore/api_docs.py``). Errors are JSON
``{"detail": "..."}``: 404 for an unknown id, 400 for any bad parameter (ninja answers 422 by
default; a client's mistake in a query string is a plain 400 here, with a message).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from fetchplan import NotFound
from fetchplan.dto import DTO
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError
from pydantic import Field

from bookstore import api_writes
from bookstore.api_docs import LOCAL_SWAGGER
from bookstore.api_routes import routes
from bookstore.presentation import not_found_message
from bookstore.views_params import MAX_ID
from dtos.authors import AuthorDetail, AuthorPage
from dtos.books import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, BookDetail, BookFilters, BookPage
from repos.authors import PageOutOfRange, get_author, list_authors
from repos.books import get_book, list_books
from repos.cursors import MAX_CURSOR_LENGTH, InvalidCursor

api = NinjaAPI(title="Bookstore API", version="1.0", urls_namespace="api", docs=LOCAL_SWAGGER)


class ErrorDTO(DTO):
    """What went wrong, in a sentence; ``errors`` lists each bad parameter for a 400."""

    detail: str
    errors: tuple[dict[str, str], ...] = ()


class BookPageParams(DTO):
    """Which page of books: the cursor of a previous page (none for the first) and its size."""

    cursor: str | None = Field(default=None, max_length=MAX_CURSOR_LENGTH)
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class AuthorPageParams(DTO):
    """Which page of authors (from 1)."""

    page: int = Field(default=1, ge=1, le=1_000_000)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    body = ErrorDTO(detail=detail, **extra).model_dump(mode="json")
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


@api.exception_handler(PageOutOfRange)
def _page_out_of_range(request: HttpRequest, exc: PageOutOfRange) -> HttpResponse:
    return _error(request, 404, str(exc))


def _known_id(model: str, value: int) -> int:
    """Return ``value``; raise ``NotFound`` for an id no row can have (< 1 or past bigint)."""
    if not 1 <= value <= MAX_ID:
        raise NotFound(model, {"pk": value})
    return value


@routes.get("/books", response={200: BookPage, 400: ErrorDTO}, tags=["books"])
def books(
    request: HttpRequest, filters: Query[BookFilters], page: Query[BookPageParams]
) -> BookPage:
    """List books: the filters, sorts and cursor pages of /books/ (2 queries)."""
    return list_books(filters=filters, cursor=page.cursor, limit=page.limit)


@routes.get("/books/{book_id}", response={200: BookDetail, 404: ErrorDTO}, tags=["books"])
def book(request: HttpRequest, book_id: int) -> BookDetail:
    """One book with author, publisher, tags, 5 latest reviews, rating counts, stock (3 queries)."""
    return get_book(_known_id("Book", book_id))


@routes.get("/authors", response={200: AuthorPage, 400: ErrorDTO, 404: ErrorDTO}, tags=["authors"])
def authors(request: HttpRequest, params: Query[AuthorPageParams]) -> AuthorPage:
    """List authors by name, 50 a page, with book counts (2 queries)."""
    return list_authors(page=params.page)


@routes.get("/authors/{author_id}", response={200: AuthorDetail, 404: ErrorDTO}, tags=["authors"])
def author(request: HttpRequest, author_id: int) -> AuthorDetail:
    """One author with their 10 latest books, each with its tags (3 queries)."""
    return get_author(_known_id("Author", author_id))


# Reads above, writes (authenticated) in api_writes: all on one router, see api_routes.
assert api_writes.WRITE_AUTH  # imported for its routes
api.add_router("/", routes)
