"""Per-client rate limits in fixed windows, counted in Django's cache.

Two limits use it: CSV exports per client (``rate_limited`` on the view) and failed API
authentications per client (``bookstore/api_auth.py``). A client is its ``REMOTE_ADDR``:
behind a reverse proxy every client has the proxy's address, so either let the proxy limit
or run the site with the client's address in ``REMOTE_ADDR`` (gunicorn's
``--forwarded-allow-ips``). Counts live in the default cache: the local-memory cache counts
per process (with N worker processes a client gets up to N times the limit); a shared cache
(``CACHES`` with Redis or memcached) makes the limit exact across processes.

Example::

    EXPORTS = Limit(scope="export", setting="BOOKSTORE_EXPORTS_PER_MINUTE", window=60)
    wait = take(EXPORTS, client_of(request))  # None: go ahead; else seconds to wait
"""

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

__all__ = ["TOO_MANY_REQUESTS", "Limit", "client_of", "peek", "rate_limited", "take"]

TOO_MANY_REQUESTS = "Too many {what} from your address; retry in {seconds} s."


@dataclass(frozen=True)
class Limit:
    """At most ``settings.<setting>`` events per ``window`` seconds per client (0: no limit)."""

    scope: str
    setting: str
    window: int
    what: str = "requests"

    @property
    def count(self) -> int:
        """The limit, read from the settings at each call (tests change it)."""
        value: int = getattr(settings, self.setting)
        return value


def client_of(request: HttpRequest) -> str:
    """Return the address that identifies the client of ``request``."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(limit: Limit, client: str, now: float) -> tuple[str, int]:
    window_number, elapsed = divmod(int(now), limit.window)
    return f"throttle:{limit.scope}:{client}:{window_number}", limit.window - elapsed


def peek(limit: Limit, client: str) -> int | None:
    """Return the seconds ``client`` must wait if it used up ``limit``, else None (no count)."""
    if limit.count <= 0:
        return None
    key, remaining = _key(limit, client, time.time())
    used = cache.get(key, 0)
    return remaining if isinstance(used, int) and used >= limit.count else None


def take(limit: Limit, client: str) -> int | None:
    """Count one event of ``client``; return the seconds to wait if it is over ``limit``."""
    if limit.count <= 0:
        return None
    key, remaining = _key(limit, client, time.time())
    if cache.add(key, 1, timeout=remaining + 1):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add() and incr(): a new window
            cache.add(key, 1, timeout=remaining + 1)
            used = 1
    return remaining if used > limit.count else None


def too_many(request: HttpRequest, *, limit: Limit, wait: int) -> HttpResponse:
    """Return the 429 page for ``limit``, with ``Retry-After``."""
    message = TOO_MANY_REQUESTS.format(what=limit.what, seconds=wait)
    context = {"title": "Too many requests", "message": message}
    response = render(request, "bookstore/retry_later.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def rate_limited[**P, R: HttpResponseBase](
    limit: Limit,
) -> Callable[
    [Callable[Concatenate[HttpRequest, P], R]],
    Callable[Concatenate[HttpRequest, P], R | HttpResponse],
]:
    """Return a view decorator that answers 429 once a client is over ``limit``."""

    def decorate(
        view: Callable[Concatenate[HttpRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], R | HttpResponse]:
        @functools.wraps(view)
        def limited(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R | HttpResponse:
            wait = take(limit, client_of(request))
            if wait is not None:
                return too_many(request, limit=limit, wait=wait)
            return view(request, *args, **kwargs)

        return limited

    return decorate
