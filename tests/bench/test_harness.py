"""Smoke test of the benchmark harness at tiny sizes: it runs, variants agree, files appear.

Benchmarks are not tests: nothing here looks at a time.
"""

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from bench.config import LAYER_VARIANTS, Profile
from bench.harness import RecordsDiffer, Variant, warm_up
from bench.machine import describe
from bench.report import write_results
from bench.scenarios import export
from bench.scenarios.common import day, money
from bench.scenarios.registry import run_scenario
from bookstore.seeding.generator import Seeder

BOOKS = 20
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> None:
    Seeder(books=BOOKS, seed=1).run()


def _tiny(scenario: str) -> dict[str, Any]:
    # The warm-up inside run_scenario raises RecordsDiffer if any variant's data differs.
    return run_scenario(scenario, {"sizes": [BOOKS], "repetitions": {str(BOOKS): 1}})


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("scenario", ["list", "detail", "authors"])
def test_every_variant_returns_the_same_records(scenario: str) -> None:
    result = _tiny(scenario)[str(BOOKS)]
    assert set(result) == {
        "floor", "naive", "hand_tuned", "readers", "layer", "layer_tuple", "layer_instances",
    } | ({"plan_sql"} if scenario == "list" else set())  # fmt: skip
    assert all(len(measured["times"]) == 1 for measured in result.values())


@pytest.mark.usefixtures("seeded")
def test_single_objects_return_the_same_records_one_query_each() -> None:
    result = _tiny("single")[str(BOOKS)]
    assert set(result) == {"floor", "naive", "hand_tuned", "layer"}
    assert {measured["queries"] for measured in result.values()} == {BOOKS}


@pytest.mark.usefixtures("seeded")
def test_layer_lists_books_in_two_queries() -> None:
    result = _tiny("list")[str(BOOKS)]
    assert {result[key]["queries"] for key in LAYER_VARIANTS} == {2}
    assert result["naive"]["queries"] > BOOKS


def test_warm_up_names_the_variant_that_differs() -> None:
    same = Variant("a", lambda _: [1], lambda out: [(x,) for x in out])  # type: ignore[attr-defined]
    other = Variant("b", lambda _: [2], lambda out: [(x,) for x in out])  # type: ignore[attr-defined]
    with pytest.raises(RecordsDiffer, match="record 0 differs"):
        warm_up([same, other], None)


def _exported(variant: str, bound: int) -> list[tuple[object, ...]]:
    out = io.StringIO()
    export.VARIANTS[variant](bound, out)
    return [
        (int(r[0]), r[1], r[2], money(r[3]), day(r[4]), int(r[5]), r[6] or None)
        for r in csv.reader(io.StringIO(out.getvalue()))
    ]


@pytest.mark.usefixtures("seeded")
def test_every_export_writes_the_same_rows() -> None:
    variants = [v for v in export.VARIANTS if connection.vendor == "postgresql" or v != "pg_copy"]
    bound = 10**9
    expected = _exported("raw_cursor", bound)
    assert len(expected) == BOOKS
    for variant in variants:
        assert _exported(variant, bound) == expected, variant


@pytest.mark.usefixtures("seeded")
def test_results_files_are_written(tmp_path: Path) -> None:
    backend = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    runs = {
        str(rows): {
            v: [export.run_export(v, rows)] for v in ("values_list_iterator", "layer_stream")
        }
        for rows in (10, BOOKS)
    }
    assert runs[str(BOOKS)]["layer_stream"][0]["rows"] == BOOKS
    results = {
        "machine": describe("postgres://postgres@127.0.0.1:1"),
        "profile": "test",
        "backends": {
            backend: {
                "list": {"10": _tiny("list")[str(BOOKS)], str(BOOKS): _tiny("list")[str(BOOKS)]},
                "detail": _tiny("detail"),
                "authors": _tiny("authors"),
                "export": {"fixture": {}, "runs": runs},
            }
        },
    }
    profile = Profile("test", BOOKS, (BOOKS,), {BOOKS: 1}, BOOKS, BOOKS, 2, 1, (10, BOOKS), 1)
    paths = write_results(results, profile, tmp_path)
    names = {path.name for path in paths}
    assert {"results.json", "results.md", "time_vs_size.png", "queries_vs_size.png"} <= names
    assert {"pages.png", "export_memory.png"} <= names
    assert "## Targets" in (tmp_path / "results.md").read_text()
