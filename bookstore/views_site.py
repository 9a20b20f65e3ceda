"""Site-wide views: the icon, the 404 and 500 pages, logging in and out.

Every page links its icon (``<link rel="icon">``); ``/favicon.ico`` answers the browsers that
ask for it anyway (a JSON or CSV response has no ``<head>`` to name one).
"""

import sys
from pathlib import Path
from typing import Any, override

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from bookstore.error_responses import database_refusal, retry_later
from bookstore.presentation import NO_SUCH_PAGE

FAVICON = (Path(__file__).resolve().parent / "static" / "bookstore" / "favicon.svg").read_bytes()
FAVICON_MAX_AGE = 86_400  # a day: the icon rarely changes, and every tab asks for it
LOGGED_OUT = "You are logged out."
SERVER_ERROR = "Something went wrong on our side. Please try again in a moment."
# `make demo` creates this reader (manage.py demo_reader); the login page names it in DEBUG.
DEMO_READER = ("reader", "reader")


def favicon(request: HttpRequest) -> HttpResponse:
    """Return the site's icon (an SVG) for ``/favicon.ico``."""
    response = HttpResponse(FAVICON, content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Render the 404 page: the view's own sentence, or "There is no page at <path>"."""
    detail = exception.args[0] if exception.args else None
    # A Resolver404 (no URL matched) carries a dict of the patterns tried: never shown.
    human = isinstance(exception, Http404) and isinstance(detail, str) and detail
    message = detail if human else NO_SUCH_PAGE.format(path=request.path[:200])
    context = {"status": 404, "message": message}
    return render(request, "bookstore/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page without the request (its session or user may be what failed).

    Django calls this for any uncaught error, also one raised by a middleware before or after
    the view (a session or user lookup). A database that refused (lost connection, busy,
    statement timeout) is a 503 with ``Retry-After`` there too, never a 500.
    """
    error = sys.exc_info()[1]
    refusal = None if error is None else database_refusal(error)
    if error is not None and refusal is not None:
        return retry_later(request, refusal, error)
    context = {"status": 500, "message": SERVER_ERROR}
    return HttpResponse(render_to_string("bookstore/error.html", context), status=500)


class LoginView(auth_views.LoginView):
    """The login page; a logged-in visitor goes straight to ``next`` (or the home page)."""

    redirect_authenticated_user = True

    @override
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Add the demo reader's name and password in DEBUG (``make demo`` creates it)."""
        context = super().get_context_data(**kwargs)
        context["demo_reader"] = DEMO_READER if settings.DEBUG else None
        return context


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and say so on the page that follows."""

    @override
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Log out, then add the "logged out" message for the next page."""
        response = super().post(request, *args, **kwargs)
        messages.info(request, LOGGED_OUT)
        return response
