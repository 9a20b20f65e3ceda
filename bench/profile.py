"""Profile the layer on one scenario: where its time goes above the floor.

``DATABASE_URL=<a bench fixture> python -m bench.profile list --size 10000`` times the floor and
the layer interleaved (median of ``--rounds``), then runs the layer under cProfile and prints
the functions with the most time of their own. Scenarios: ``list`` (scenario 1's
``fetch_all(BOOK_ROW)``), ``detail`` (scenario 2's book pages, ``--size`` of them),
``stream`` (scenario 4's export of the first ``--size`` books to ``os.devnull``: the floor
``values_list().iterator()``, the layer ``stream()`` of ``BOOK_RECORD``; on the export
fixture, ``bench_export_*``) and ``build`` (the DTO building of ``stream``'s chunks alone,
its rows read once beforehand, on the same fixture; its ``floor`` copies the chunks). For
``list``, ``stream`` and ``build`` the layer's variants run a second time with the per-row
builders (``*_rowwise``: inside ``column_builders.disabled()``), and for ``list`` and
``stream`` a third time converting every value (``*_nomemo``: inside
``fast_converters.memos_disabled()``, no memo of SQLite ``Decimal`` values), and a fourth
converting the fetched rows before building (``*_converted``: inside
``raw_builders.disabled()``), interleaved.
The fixture databases are the ones ``make bench`` builds
(``bench/.data/``, ``bench_books_*`` and ``bench_export_*``).
"""

import argparse
import cProfile
import functools
import gc
import io
import os
import pstats
import statistics
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from bench.standalone import setup_django


def _timed(run: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _work(scenario: str, size: int) -> dict[str, Callable[[], object]]:
    """Return the scenario's variants to time, as zero-argument callables."""
    from bench.scenarios import detail, export, listing
    from bookstore.models import Book

    if scenario == "build":
        return _build_only(size)
    if scenario == "stream":
        bound = Book.objects.order_by("id").values_list("id", flat=True)[size - 1]
        out = open(os.devnull, "w")  # noqa: SIM115  # open for the process's life
        pairs = {
            "floor": "values_list_iterator",
            "layer": "layer_stream",
            "layer_tuple": "layer_stream_tuple",
        }
        exports: dict[str, Callable[[], object]] = {
            key: functools.partial(export.VARIANTS[name], bound, out) for key, name in pairs.items()
        }
        return {**exports, **_rowwise(exports), **_without_memos(exports), **_converted(exports)}
    if scenario == "list":
        argument: Any = listing.bound_for(size)
        chosen = listing.variants()
        keys = ("floor", "layer", "layer_tuple")
        runs = {variant.key: variant.run for variant in chosen}
        lists: dict[str, Callable[[], object]] = {
            key: functools.partial(runs[key], argument) for key in keys
        }
        return {**lists, **_rowwise(lists), **_without_memos(lists), **_converted(lists)}
    argument = list(Book.objects.order_by("id").values_list("id", flat=True)[:size])
    chosen = detail.variants()
    keys = ("floor", "hand_tuned", "layer")
    runs = {variant.key: variant.run for variant in chosen}
    return {key: functools.partial(runs[key], argument) for key in keys}


def _build_only(size: int) -> dict[str, Callable[[], object]]:
    """Building DTOs alone: ``stream()``'s first ``size`` rows read once, in chunks of 2,000,
    then turned into DTOs chunk by chunk (``build_rows``), pydantic and NamedTuple, column-wise
    and per row. ``floor`` is a ``list()`` copy of each chunk (the cost of touching the rows)."""
    from fetchplan.plan.run import paused_gc
    from fetchplan.plan.values_strategy import Identity, build_rows

    from bench.scenarios import export
    from bookstore.models import Book
    from repos.book_writes import BOOK_RECORD

    bound = Book.objects.order_by("id").values_list("id", flat=True)[size - 1]
    work: dict[str, Callable[[], object]] = {}
    for key, plan in (("layer", BOOK_RECORD), ("layer_tuple", export.BOOK_RECORD_TUPLE)):
        node = plan.compiled()
        rows = list(Book.objects.filter(id__lte=bound).order_by("id").values_list(*node.keys))
        chunks = [rows[start : start + export.CHUNK] for start in range(0, len(rows), export.CHUNK)]

        def build(node: Any = node, chunks: list[Any] = chunks) -> object:
            with paused_gc():
                return [build_rows(node, chunk, "default", Identity()) for chunk in chunks]

        work[key] = build
        work.setdefault(
            "floor", functools.partial(lambda chunks: [list(c) for c in chunks], chunks)
        )
    return {**work, **_rowwise(work)}


def _rowwise(work: Mapping[str, Callable[[], object]]) -> dict[str, Callable[[], object]]:
    """Return the layer's variants again, built by the per-row builders (``*_rowwise``).

    The same calls inside ``column_builders.disabled()``: the generated per-row builders that
    the column-wise ones replace, timed interleaved with them on the same data.
    """
    from fetchplan.plan import column_builders

    return _layer_again(work, "rowwise", column_builders.disabled)


def _converted(work: Mapping[str, Callable[[], object]]) -> dict[str, Callable[[], object]]:
    """Return the layer's variants again, the fetched rows converted first (``*_converted``).

    The same calls inside ``raw_builders.disabled()``: the compiled root statement's rows
    become ``values_list()`` tuples, then DTOs (``column_builders``), as before the raw
    builders wrote each conversion into the DTO's own dict literal or tuple.
    """
    from fetchplan.plan import raw_builders

    return _layer_again(work, "converted", raw_builders.disabled)


def _without_memos(work: Mapping[str, Callable[[], object]]) -> dict[str, Callable[[], object]]:
    """Return the layer's variants again, every value converted (``*_nomemo``).

    The same calls inside ``fast_converters.memos_disabled()``: compiled statements whose
    SQLite ``Decimal`` columns are converted value by value instead of through a memo per
    batch (they are cached apart, so both stay compiled), timed interleaved with the rest.
    """
    from fetchplan.plan import fast_converters

    return _layer_again(work, "nomemo", fast_converters.memos_disabled)


def _layer_again(
    work: Mapping[str, Callable[[], object]],
    suffix: str,
    switched_off: Callable[[], AbstractContextManager[None]],
) -> dict[str, Callable[[], object]]:
    """Return each ``layer*`` variant of ``work`` run inside ``switched_off()``, as
    ``<key>_<suffix>``."""

    def inside(run: Callable[[], object]) -> object:
        with switched_off():
            return run()

    return {
        f"{key}_{suffix}": functools.partial(inside, run)
        for key, run in work.items()
        if key.startswith("layer")
    }


def main() -> None:
    """Time the variants, then profile the layer."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("scenario", choices=("list", "detail", "stream", "build"))
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    setup_django()
    work = _work(args.scenario, args.size)
    for run in work.values():
        run()  # warm-up: compiled plans, connection, caches
    times: dict[str, list[float]] = {key: [] for key in work}
    keys = list(work)
    for round_number in range(args.rounds):
        for key in keys[round_number % len(keys) :] + keys[: round_number % len(keys)]:
            times[key].append(_timed(work[key]))
    floor = statistics.median(times["floor"])
    for key, measured in times.items():
        median = statistics.median(measured)
        print(
            f"{key:12} median {median * 1000:8.1f} ms  min {min(measured) * 1000:8.1f}  "
            f"max {max(measured) * 1000:8.1f}  x floor {median / floor:5.2f}"
        )
    profiler = cProfile.Profile()
    profiler.enable()
    work["layer"]()
    profiler.disable()
    out = io.StringIO()
    stats: Any = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
