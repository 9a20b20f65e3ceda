"""The bench's MariaDB columns: scenario 1 (list) and 4 (export) agree on MariaDB.

Runs each scenario's warm-up equality check (every variant returns the same records, the
hand-written floor SQL included) in a bench worker on a tiny MariaDB fixture,
``bench_books_20_<checkout>`` and ``bench_export_50_<checkout>``, made as ``make bench`` makes
them. Skipped when MariaDB is unreachable, failed instead under ``REQUIRE_MARIADB=1`` (as
``make test-mariadb`` decides). It does not use the test database: it runs on whichever
database the suite runs on, since the workers are processes of their own.
"""

import os

import pytest

from bench import fixtures
from bench.__main__ import fixture, run_worker

BOOKS = 20
EXPORT_ROWS = 50


@pytest.fixture(scope="module")
def mariadb() -> None:
    if fixtures.mariadb_ready():
        return
    message = f"MariaDB at {fixtures.mariadb_server()} is unreachable"
    if os.environ.get("REQUIRE_MARIADB") == "1":
        pytest.fail(message + " and REQUIRE_MARIADB=1")
    pytest.skip(message)


@pytest.mark.usefixtures("mariadb")
def test_list_variants_return_the_same_records_on_mariadb() -> None:
    url, counts = fixture("mariadb", "books", BOOKS, "")
    assert counts["books"] == BOOKS
    assert url.startswith("mysql://")
    params = {"sizes": [BOOKS], "repetitions": {str(BOOKS): 1}, "check_max": BOOKS}
    # The worker's warm-up raises RecordsDiffer (the worker fails) if any variant differs.
    result = run_worker(url, {"kind": "scenario", "scenario": "list", "params": params})
    measured = result[str(BOOKS)]
    assert {"floor", "hand_tuned", "layer", "layer_tuple"} <= set(measured)
    assert measured["layer"]["queries"] == 2


@pytest.mark.usefixtures("mariadb")
def test_export_variants_write_the_same_rows_on_mariadb() -> None:
    url, counts = fixture("mariadb", "export", EXPORT_ROWS, "")
    assert counts["books"] == EXPORT_ROWS
    written = run_worker(url, {"kind": "export-check", "rows": EXPORT_ROWS})
    assert "pg_copy" not in written
    assert set(written.values()) == {EXPORT_ROWS}
    assert {"values_list_iterator", "layer_stream", "layer_copy"} <= set(written)
