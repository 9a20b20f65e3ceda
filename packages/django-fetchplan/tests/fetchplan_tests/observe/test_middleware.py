"""QueryMiddleware logs each request's queries, warns on N+1, and sets Server-Timing."""

import logging
import re

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, Client, override_settings
from fetchplan.observe.middleware import QueryMiddleware

from fetchplan_tests.observe.factories import make_novels
from fetchplan_tests.observe.urls import writers_of_novels

pytestmark = pytest.mark.django_db

ENABLED = override_settings(
    FETCHPLAN_QUERY_MIDDLEWARE=True, ROOT_URLCONF="fetchplan_tests.observe.urls"
)
TIMING = re.compile(r'^db;dur=\d+\.\d\d;desc="(\d+) queries"$')


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@override_settings(DEBUG=False)
def test_off_without_debug_unless_enabled() -> None:
    with pytest.raises(MiddlewareNotUsed):
        QueryMiddleware(ok)
    with override_settings(FETCHPLAN_QUERY_MIDDLEWARE=True):
        assert QueryMiddleware(ok).get_response is ok
    with override_settings(DEBUG=True):
        assert QueryMiddleware(ok).get_response is ok
    with (
        override_settings(DEBUG=True, FETCHPLAN_QUERY_MIDDLEWARE=False),
        pytest.raises(MiddlewareNotUsed),
    ):
        QueryMiddleware(ok)


@ENABLED
def test_logs_one_line_warns_n_plus_one_and_sets_server_timing(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    make_novels(4)
    with caplog.at_level(logging.INFO, logger="fetchplan.observe.middleware"):
        response = client.get("/writers-of-novels/?page=1")
    assert response.status_code == 200
    timing = TIMING.match(response.headers["Server-Timing"])
    assert timing is not None
    assert timing.group(1) == "5"
    info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(info) == 1
    assert re.fullmatch(
        r"GET /writers-of-novels/\?page=1 200: 5 queries in \d+\.\d\d ms, 0 duplicates", info[0]
    )
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith("N+1 suspect in GET /writers-of-novels/?page=1: 4x at ")
    # The call site is the view's loop line, not Django's internals.
    code = writers_of_novels.__code__
    assert f"observe/urls.py:{code.co_firstlineno + 2} in writers_of_novels: SELECT" in warning


@ENABLED
def test_appends_to_an_existing_server_timing_header() -> None:
    def timed(request: HttpRequest) -> HttpResponse:
        response = HttpResponse()
        response.headers["Server-Timing"] = "app;dur=1"
        return response

    response = QueryMiddleware(timed)(HttpRequest())
    assert isinstance(response, HttpResponse)
    assert response.headers["Server-Timing"].startswith("app;dur=1, db;dur=")


@ENABLED
def test_async_requests_are_recorded(caplog: pytest.LogCaptureFixture) -> None:
    async def get() -> tuple[bytes, str]:
        response = await AsyncClient().get("/async-count/")
        return response.content, response.headers["Server-Timing"]

    with caplog.at_level(logging.INFO, logger="fetchplan.observe.middleware"):
        content, server_timing = async_to_sync(get)()
    assert content == b"0"
    timing = TIMING.match(server_timing)
    assert timing is not None
    assert timing.group(1) == "1"
    assert any("GET /async-count/ 200: 1 queries" in r.getMessage() for r in caplog.records)
