"""The one boundary the input of every GET route crosses, before any query runs.

Two steps, for pages, the CSV export and the JSON API alike:

1. ``ScreenQueryMiddleware`` screens the raw request of *every* route (so a new route cannot
   be missed): each query parameter may appear once (``?author=1&author=2`` is ambiguous),
   no value may be longer than ``MAX_VALUE_LENGTH`` or hold a NUL character or a lone
   surrogate, and the path may hold no NUL character. A failure is a 400 before the session
   is even read: a JSON ``{"detail": ...}`` under ``/api/``, the error page elsewhere.
2. The route validates the parameters it reads with a DTO of ``dtos.reads`` / ``dtos.books``
   (ids within 64 bits, finite decimals, known sort keys): the pages through ``query_params``
   and ``path_segments`` (``BadInput`` becomes a 400 page, ``bookstore/views_params.py``), the
   API through ninja's ``Query[...]`` with the same DTOs (a 400, ``bookstore/api.py``).
"""

from collections.abc import Callable, Iterable, Mapping

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from fetchplan.observe import render_without_queries
from pydantic import BaseModel, ValidationError

from dtos.fields import MAX_ID, TEXT_HAS_NUL, check_text

__all__ = [
    "MAX_PATH_TEXT",
    "MAX_VALUE_LENGTH",
    "PATH_ID_RANGE",
    "REPEATED_PARAMETER",
    "VALUE_TOO_LONG",
    "BadInput",
    "ScreenQueryMiddleware",
    "describe",
    "path_segments",
    "query_params",
    "screen_request",
    "single_values",
]

MAX_VALUE_LENGTH = 1000  # the longest parameter (a cursor) is 1,000 characters
MAX_PATH_TEXT = 200
MAX_NAME_SHOWN = 50  # a message names a parameter by at most this much of its name
REPEATED_PARAMETER = "{name}: given {count} times; give it once."
VALUE_TOO_LONG = "{name}: at most {limit} characters, got {length}."
PATH_ID_RANGE = "{name}: must be a whole number between 1 and {high}, got {value}."
API_PREFIX = "/api/"


class BadInput(ValueError):
    """A query parameter or path segment the client got wrong; the message says which and why."""


def describe(error: ValidationError) -> str:
    """Return a one-line, human message for a pydantic validation error."""
    parts = []
    for problem in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in problem["loc"] if part != "__root__")
        message = problem["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _screen(name: str, values: list[str]) -> str | None:
    """Return the one non-empty value of ``name``, None if absent; raise ``BadInput``."""
    name = name if len(name) <= MAX_NAME_SHOWN else f"{name[:MAX_NAME_SHOWN]}..."
    if len(values) > 1:
        raise BadInput(REPEATED_PARAMETER.format(name=name, count=len(values)))
    if not values or values[0] == "":
        return None
    value = values[0]
    if len(value) > MAX_VALUE_LENGTH:
        raise BadInput(VALUE_TOO_LONG.format(name=name, limit=MAX_VALUE_LENGTH, length=len(value)))
    try:
        return check_text(value)
    except ValueError as error:
        raise BadInput(f"{name}: {error}") from None


def single_values(query: MultiValueDict[str, str], names: Iterable[str]) -> dict[str, str]:
    """Return the non-empty values of the parameters ``names`` in ``query``, one per name.

    Raises ``BadInput`` for a parameter given more than once, too long, or holding a NUL
    character or a lone surrogate. Parameters a route does not read are not looked at.
    """
    found: dict[str, str] = {}
    for name in names:
        value = _screen(name, query.getlist(name))
        if value is not None:
            found[name] = value
    return found


def query_params[T: BaseModel](
    query: MultiValueDict[str, str], schema: type[T], **fixed: object
) -> T:
    """Return ``schema`` validated from the parameters of ``query`` it names, plus ``fixed``.

    Raises ``BadInput`` naming each bad parameter.
    """
    data: dict[str, object] = dict(single_values(query, schema.model_fields))
    data.update(fixed)
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise BadInput(describe(error)) from None


def path_segments(segments: Mapping[str, object]) -> None:
    """Check the segments Django's URL converters extracted; raise ``BadInput`` if one is bad.

    ``<int:...>`` matches any run of digits, so an id may exceed 64 bits; ``<str:...>`` may
    hold a NUL character (``%00``).
    """
    for name, value in segments.items():
        if isinstance(value, int) and not 1 <= value <= MAX_ID:
            shown = value if value < 10**30 else f"a number of {len(str(value))} digits"
            raise BadInput(PATH_ID_RANGE.format(name=name, high=MAX_ID, value=shown))
        if isinstance(value, str):
            if len(value) > MAX_PATH_TEXT:
                raise BadInput(
                    VALUE_TOO_LONG.format(name=name, limit=MAX_PATH_TEXT, length=len(value))
                )
            _screen(name, [value])


def screen_request(request: HttpRequest) -> None:
    """Screen every query parameter and the path of ``request``; raise ``BadInput``."""
    if "\x00" in request.path:
        raise BadInput(f"path: {TEXT_HAS_NUL}")
    single_values(request.GET, request.GET.keys())


class ScreenQueryMiddleware:
    """Answer a request whose raw query string or path fails ``screen_request`` with a 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Return the 400 for bad raw input, else the response of the rest of the chain."""
        try:
            screen_request(request)
        except BadInput as error:
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": str(error)}, status=400)
            context = {"status": 400, "message": str(error)}
            return render_without_queries(request, "bookstore/error.html", context, status=400)
        return self.get_response(request)
