"""The load driver's parsing and safety rails (``make load`` itself runs outside the suite)."""

import re
import socket

import pytest

from bench.load import NOT_LOCAL, ensure_database, free_port
from bench.load_scenarios import MIXED, Request, reads
from bench.load_wrk import parse_wrk_output, queries_of

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:4000
  2 threads and 16 connections
LOAD_RESULT {"requests": 296, "duration_us": 5000000, "p50_us": 2000, "p99_us": 9000, \
"max_us": 12000, "errors_connect": 0, "errors_read": 1, "errors_write": 0, \
"errors_status": 2, "errors_timeout": 0, "timed": 296, "queries_sum": 592, \
"queries_min": 2, "queries_max": 2}
"""


def test_parses_wrk_result() -> None:
    result = parse_wrk_output(WRK_OUTPUT)
    assert (result.requests, result.errors, result.requests_per_second) == (296, 3, 59.2)
    report = result.report()
    assert "p50 2.00 ms, p99 9.00 ms" in report
    assert "min 2, mean 2.00, max 2" in report


def test_parses_the_5xx_counts_and_the_setup_table() -> None:
    from bench.load_setups import SetupResult, table

    line = WRK_OUTPUT.replace(
        '"queries_max": 2}', '"queries_max": 2, "status_503": 5, "status_5xx": 1}'
    )
    result = parse_wrk_output(line)
    assert (result.status_503, result.status_5xx) == (5, 1)
    assert "answers 503 5, other 5xx 1" in result.report()
    assert table([SetupResult("pool", "async", result)]).splitlines()[-1] == (
        "| pool | async | 59 | 2.00 | 9.00 | 3 |"
    )


def test_missing_result_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="no LOAD_RESULT"):
        parse_wrk_output("Running 5s test\n")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('db;dur=0.72;desc="12 queries"', 12),
        ('app;dur=1, db;dur=3;desc="1 queries"', 1),
        ("", None),
        (None, None),
    ],
)
def test_reads_queries_from_server_timing(header: str | None, expected: int | None) -> None:
    assert queries_of(header) == expected


def test_free_port_is_on_loopback_and_bindable() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_refuses_a_remote_database() -> None:
    with pytest.raises(
        SystemExit,
        match=re.escape(NOT_LOCAL.format(host="db.example")),
    ):
        ensure_database("postgres://u@db.example:5432/x")


def test_requests_are_lines_the_lua_script_splits() -> None:
    order = MIXED[0]
    assert order.line() == 'POST|/api/orders|{"lines": [{"book_id": {id}, "quantity": 1}]}'
    path, body = order.filled(7)
    assert (path, body) == ("/api/orders", b'{"lines": [{"book_id": 7, "quantity": 1}]}')
    assert reads(["/books/"]) == (Request("GET", "/books/"),)
    assert Request("GET", "/api/books/{id}").filled(3) == ("/api/books/3", None)
