"""The pure parts of ``scripts/load-back-to-back`` (``bench.back_to_back``): no server needed."""

import argparse
import os

import pytest

from bench.back_to_back import Run, own_environment, parse_phases, positive_int, table

REPORT = """\
== reads: 3 paths
requests: 3000 in 30.0 s = 100.0 req/s
errors: 0
== mixed: reads and writes
requests: 4500 in 30.0 s = 150.0 req/s
"""


def test_phases_are_read_from_the_load_report() -> None:
    assert parse_phases(REPORT) == {"reads": 100.0, "mixed": 150.0}


def test_rounds_must_be_a_whole_number_of_at_least_one() -> None:
    assert positive_int("3") == 3
    for bad in ("0", "-1", "two", "1.5"):
        with pytest.raises(argparse.ArgumentTypeError):
            positive_int(bad)


def test_the_table_gives_new_over_old_per_round() -> None:
    runs = [
        Run("old", (0.1, 0.1, 0.1), {"reads": 50.0}),
        Run("new", (0.2, 0.1, 0.1), {"reads": 100.0}),
        Run("old", (0.3, 0.1, 0.1), {"reads": 40.0}),
        Run("new", (0.4, 0.1, 0.1), {"reads": 60.0}),
    ]
    assert "reads: new / old per round 2.00, 1.50; median 1.75" in table(runs)


def test_the_sides_do_not_inherit_a_callers_checkout_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mutation caught: passing ``os.environ`` on as it is. With ``CHECKOUT_ID`` exported (as
    the Makefile does), both sides named their databases alike and shared one load database,
    each migrating it to its own schema (seen once when this script ran from such a shell)."""
    monkeypatch.setenv("CHECKOUT_ID", "12345678")
    monkeypatch.setenv("LOAD_DB", "postgres://somewhere/bookstore_load_12345678")
    environment = own_environment()
    assert "CHECKOUT_ID" not in environment
    assert "LOAD_DB" not in environment
    assert environment["PATH"] == os.environ["PATH"]
