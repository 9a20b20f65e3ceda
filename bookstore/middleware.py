"""Middleware of the bookstore's pages."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

API_NAMESPACE = "api"


class LoadUserForPages:
    """Read the logged-in user before a page's view runs, outside its no-query zone.

    Every page's header names the reader or offers to log in. ``request.user`` is lazy: the
    first look reads the session and the user (2 queries, none for a visitor without a session
    cookie). Pages render inside ``render_without_queries``, so that look must happen before.
    The JSON API is left alone: its reads never ask who is calling.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Pass the request on."""
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        """Load ``request.user`` unless the view is part of the JSON API."""
        match = request.resolver_match
        if match is not None and match.namespace != API_NAMESPACE:
            request.user.is_authenticated  # noqa: B018 - evaluates the lazy user here
