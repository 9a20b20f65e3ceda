"""``manage.py pitfalls``: runs every pitfall, measures, and the naive side queries more."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from tests.bookstore.data import seed

pytestmark = pytest.mark.django_db

TITLES = [
    "book.author.id vs book.author_id",
    "len(qs) vs qs.count() vs qs.exists()",
    "model instances vs values()",
    "looping over a cached queryset vs iterator()",
    "N+1 vs select_related / prefetch_related",
    "filtering a prefetched relation vs a Prefetch object",
    "select_related duplicates vs flipping the query",
    "a function that takes a model vs one that takes a DTO",
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("pitfalls", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def report() -> dict[str, Any]:
    seed(40)
    data: dict[str, Any] = json.loads(run("--json", "--limit", "20", "--repeat", "1"))
    return data


def test_report_covers_every_pitfall_with_naive_and_layer(report: dict[str, Any]) -> None:
    assert report["books"] == 40
    assert report["loop_books"] == 20
    assert [p["title"] for p in report["pitfalls"]] == TITLES
    for pitfall in report["pitfalls"]:
        roles = [v["role"] for v in pitfall["variants"]]
        assert roles[0] == "naive"
        assert "layer" in roles
        for variant in pitfall["variants"]:
            assert variant["queries"] >= 0
            assert variant["ms"] >= 0


def test_naive_code_runs_more_queries_where_it_should(report: dict[str, Any]) -> None:
    flagged = [p for p in report["pitfalls"] if p["naive_queries_more"]]
    assert len(flagged) == 4
    for pitfall in flagged:
        naive = pitfall["variants"][0]
        for layer in (v for v in pitfall["variants"] if v["role"] == "layer"):
            assert naive["queries"] > layer["queries"] * 5, pitfall["title"]
    by_title = {p["title"]: p["variants"] for p in report["pitfalls"]}
    assert by_title[TITLES[0]][0]["queries"] == 1 + 20  # one author query per book
    assert [v["queries"] for v in by_title[TITLES[1]]] == [1, 1, 1]


def test_every_variant_computes_the_same_answer(report: dict[str, Any]) -> None:
    for pitfall in report["pitfalls"]:
        if pitfall["title"] in (TITLES[1], TITLES[6]):
            continue  # exists() answers True; the flip reports its author objects
        results = {v["result"] for v in pitfall["variants"]}
        assert len(results) == 1, pitfall["title"]
    flip = {p["title"]: p["variants"] for p in report["pitfalls"]}[TITLES[6]]
    assert flip[1]["result"].endswith("1 author object")


def test_memory_is_measured_where_it_matters(report: dict[str, Any]) -> None:
    for pitfall in report["pitfalls"][1:4]:
        assert all(v["peak_kib"] > 0 for v in pitfall["variants"]), pitfall["title"]
    assert report["pitfalls"][0]["variants"][0]["peak_kib"] is None


def test_table_output_lists_each_pitfall() -> None:
    seed(10)
    text = run("--limit", "5", "--repeat", "1")
    assert text.startswith("Pitfalls on ")
    for number, title in enumerate(TITLES, start=1):
        assert f"{number}. {title}" in text
    assert "queries" in text
    assert "peak KiB" in text
