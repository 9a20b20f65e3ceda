"""Measure the issue-12 export and memory targets: ``stream()``, ``export_csv()``, DTO memory.

``python -m bench.export_targets [--rounds 3] [--sizes 100000,1000000] [--out DIR]`` runs, on
SQLite, PostgreSQL and MariaDB (skipped when unreachable), on the export fixture ``make bench``
builds (reused when present):

- scenario 4 (export to CSV) with ``values_list().iterator()`` (the floor of ``stream()``),
  the layer's ``stream()`` (pydantic and NamedTuple DTOs), the layer's ``export_csv()`` and,
  on PostgreSQL, ``COPY`` itself (the floor of ``export_csv()``): each run in its own worker
  process, variants interleaved and rotated per round; wall time and the export's own peak
  RSS (``bench.scenarios.export``);
- traced memory of 10,000 ``BookRecord`` DTOs against 10,000 model instances
  (``bench.dto_memory``), once per round.

It prints a Markdown table (median, min-max, ratios of medians, the load average before and
after) and writes it with every figure to ``DIR/export-targets.md`` and ``.json``.
"""

import argparse
import json
import os
import statistics
from pathlib import Path
from typing import Any

from bench.__main__ import DEFAULT_POSTGRES, drop_unreachable_mariadb, fixture, log, run_worker
from bench.config import BACKENDS
from bench.machine import postgres_version

VARIANTS = ("values_list_iterator", "layer_stream", "layer_stream_tuple", "layer_copy", "pg_copy")
PAIRS = (
    ("layer_stream", "values_list_iterator"),
    ("layer_stream_tuple", "values_list_iterator"),
    ("layer_copy", "pg_copy"),
)
MEMORY_ROWS = 10_000
CHECK_ROWS = 1_000
"""Rows of the warm-up that checks every variant writes the same CSV rows (untimed)."""


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def run(backend: str, sizes: list[int], rounds: int, server: str) -> dict[str, Any]:
    """Run every export variant ``rounds`` times at each size, and the memory job."""
    url, counts = fixture(backend, "export", max(sizes), server)
    run_worker(url, {"kind": "export-check", "rows": CHECK_ROWS})  # raises if variants differ
    variants = [v for v in VARIANTS if backend == "postgresql" or v != "pg_copy"]
    runs: dict[str, dict[str, list[Any]]] = {str(n): {v: [] for v in variants} for n in sizes}
    memory: list[Any] = []
    for rep in range(rounds):
        for rows in sizes:
            shift = rep % len(variants)
            for variant in [*variants[shift:], *variants[:shift]]:
                result = run_worker(url, {"kind": "export", "variant": variant, "rows": rows})
                runs[str(rows)][variant].append(result)
                log(f"{backend}: {rows:,} rows, {variant}: {result['seconds']:.2f} s")
        memory.append(run_worker(url, {"kind": "dto-memory", "rows": MEMORY_ROWS}))
    return {"fixture": counts, "runs": runs, "memory": memory}


def table(results: dict[str, Any]) -> str:
    """Return the Markdown tables of ``results``."""
    lines = [
        "| database | rows | variant | seconds, median (min–max) | added peak RSS MB, median |",
        "|---|---:|---|---|---:|",
    ]
    ratios = ["", "| database | rows | ratio (of medians) | value |", "|---|---:|---|---:|"]
    for backend, found in results["backends"].items():
        for rows, by_variant in found["runs"].items():
            medians = {}
            for variant, runs in by_variant.items():
                seconds = [r["seconds"] for r in runs]
                added = [r["peak_rss_mb"] - r["rss_before_mb"] for r in runs]
                medians[variant] = statistics.median(seconds)
                lines.append(
                    f"| {backend} | {int(rows):,} | {variant} | {_spread(seconds)} "
                    f"| {statistics.median(added):.1f} |"
                )
            for layer, floor in PAIRS:
                if layer in medians and floor in medians:
                    value = medians[layer] / medians[floor]
                    pair = f"{layer} / {floor}"
                    ratios.append(f"| {backend} | {int(rows):,} | {pair} | {value:.2f}× |")
    memory = ["", "| database | variant | traced peak MB, median (min–max) | held MB |"]
    memory.append("|---|---|---|---:|")
    for backend, found in results["backends"].items():
        names = found["memory"][0].keys()
        for name in names:
            peaks = [m[name]["peak_mb"] for m in found["memory"]]
            held = statistics.median(m[name]["held_mb"] for m in found["memory"])
            memory.append(f"| {backend} | {name} | {_spread(peaks)} | {held:.2f} |")
    before, after = results["load_before"], results["load_after"]
    load = f"\nLoad average (1, 5, 15 min): before {before}, after {after}."
    return "\n".join([*lines, *ratios, *memory, load]) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Run the measurements and write the results."""
    parser = argparse.ArgumentParser(prog="python -m bench.export_targets", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = [b for b in args.backends.split(",") if b]
    if "postgresql" in backends and postgres_version(args.postgres) is None:
        backends.remove("postgresql")
    drop_unreachable_mariadb(backends)
    results: dict[str, Any] = {"rounds": args.rounds, "load_before": os.getloadavg()}
    results["backends"] = {b: run(b, sizes, args.rounds, args.postgres) for b in backends}
    results["load_after"] = os.getloadavg()
    text = table(results)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "export-targets.md").write_text(text)
    (args.out / "export-targets.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
