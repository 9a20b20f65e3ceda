"""Log each request's queries, flag N+1 suspects, and tell the browser: ``QueryMiddleware``.

Per request it logs one INFO line on the ``fetchplan.observe.middleware`` logger::

    GET /books/ 200: 12 queries in 3.41 ms, 2 duplicates

one WARNING per N+1 suspect with its call site, and adds a ``Server-Timing`` header
(``db;dur=3.41;desc="12 queries"``) that browser devtools show in the network panel.

It is on when DEBUG is on, or when ``FETCHPLAN_QUERY_MIDDLEWARE = True``; otherwise its constructor
raises ``MiddlewareNotUsed`` and Django drops it from the chain (zero cost per request). Put it
first in ``MIDDLEWARE`` so that the queries of other middleware (sessions, auth) count too.
"""

import logging
from collections.abc import Awaitable, Callable
from inspect import iscoroutinefunction
from typing import cast

from asgiref.sync import markcoroutinefunction
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponseBase

from fetchplan.observe import conf
from fetchplan.observe.recorder import Recorder, record_queries
from fetchplan.observe.report import QueryReport

logger = logging.getLogger("fetchplan.observe.middleware")

REQUEST_LINE = "%s %s %s: %s queries in %.2f ms, %s duplicates"
N_PLUS_ONE_LINE = "N+1 suspect in %s %s: %sx at %s: %s"
SERVER_TIMING = 'db;dur={ms:.2f};desc="{count} queries"'


class QueryMiddleware:
    """Record the queries of each request; log them and set ``Server-Timing``."""

    sync_capable = True
    async_capable = True

    def __init__(
        self,
        get_response: Callable[[HttpRequest], HttpResponseBase]
        | Callable[[HttpRequest], Awaitable[HttpResponseBase]],
    ) -> None:
        if not conf.middleware_enabled():
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        """Return the response (an awaitable in async mode), after recording its queries."""
        if self.is_async:
            return self._acall(request)
        get_response = cast(Callable[[HttpRequest], HttpResponseBase], self.get_response)
        with record_queries() as recorder:
            response = get_response(request)
        return self._finish(request, response, recorder)

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        get_response = cast(Callable[[HttpRequest], Awaitable[HttpResponseBase]], self.get_response)
        with record_queries() as recorder:
            response = await get_response(request)
        return self._finish(request, response, recorder)

    def _finish(
        self, request: HttpRequest, response: HttpResponseBase, recorder: Recorder
    ) -> HttpResponseBase:
        report = recorder.report()
        log_request(request, response.status_code, report)
        timing = SERVER_TIMING.format(ms=report.total_time * 1000, count=report.count)
        existing = response.headers.get("Server-Timing")
        response.headers["Server-Timing"] = f"{existing}, {timing}" if existing else timing
        return response


def log_request(request: HttpRequest, status: int, report: QueryReport) -> None:
    """Log the request line (INFO) and each N+1 suspect (WARNING)."""
    method, path = request.method, request.get_full_path()
    logger.info(
        REQUEST_LINE,
        method,
        path,
        status,
        report.count,
        report.total_time * 1000,
        report.duplicate_count,
    )
    for suspect in report.n_plus_one:
        logger.warning(
            N_PLUS_ONE_LINE, method, path, suspect.count, suspect.call_site, suspect.shape
        )
