"""Measure the issue-12 targets: lists, book pages and single objects, layer against floor.

``python -m bench.targets [--out DIR] [--rounds 7] [--large-rounds 3]`` runs, on SQLite,
PostgreSQL and MariaDB (scenario 1 only there; skipped when unreachable), on the fixtures
``make bench`` builds (reused when present):

- scenario 1 (list) at 1,000, 10,000 and 100,000 books: floor, the plan's own statements
  through the cursor (``plan_sql``), hand-tuned Django, the layer with pydantic DTOs and with
  NamedTuple DTOs;
- scenario 2 (book pages), 1,000 pages: floor, hand-tuned Django, the layer;
- scenario 6 (single objects by primary key), 1,000 calls: floor, naive and hand-tuned
  Django, the layer's repository function.

Each job runs in its own worker process with the harness's warm-up (records checked equal)
and interleaved rounds; it prints a Markdown table (median, min-max, ratios of medians) and
writes it with every time to ``DIR/targets.md`` and ``DIR/targets.json``.
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.__main__ import DEFAULT_POSTGRES, drop_unreachable_mariadb, fixture, log, run_worker
from bench.config import BACKENDS, FULL, scenarios_on
from bench.machine import describe, postgres_version

LIST_SIZES = (1_000, 10_000, 100_000)
PAGES = 1_000
JOBS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("single", "6: single objects by pk", ("floor", "naive", "hand_tuned", "layer")),
    ("detail", "2: book pages", ("floor", "hand_tuned", "layer")),
    ("list", "1: list books", ("floor", "plan_sql", "hand_tuned", "layer", "layer_tuple")),
)


def _params(
    scenario: str, variants: tuple[str, ...], rounds: int, large: int, list_sizes: list[int]
) -> dict[str, Any]:
    sizes = list_sizes if scenario == "list" else [PAGES]
    return {
        "sizes": list(sizes),
        "repetitions": {str(size): large if size >= 100_000 else rounds for size in sizes},
        "check_max": 10_000,
        "variants": list(variants),
    }


def _row(label: str, size: int, measured: dict[str, Any]) -> list[str]:
    medians = {key: statistics.median(value["times"]) for key, value in measured.items()}
    floor = medians["floor"]
    lines = []
    for key, value in measured.items():
        times = value["times"]
        ratio = medians[key] / floor
        extra = ""
        if key.startswith("layer") and "hand_tuned" in medians:
            extra = f"{medians[key] / medians['hand_tuned']:.2f}×"
        if key.startswith("layer") and "plan_sql" in medians:
            extra += f" (× plan SQL {medians[key] / medians['plan_sql']:.2f})"
        if key == "layer_tuple":
            extra += f" (pydantic/NamedTuple {medians['layer'] / medians[key]:.2f}×)"
        lines.append(
            f"| {label} | {size:,} | {key} | {medians[key] * 1000:.1f} | "
            f"{min(times) * 1000:.1f}–{max(times) * 1000:.1f} | {len(times)} | "
            f"{value['queries']} | {ratio:.2f}× | {extra} |"
        )
    return lines


def main() -> None:
    """Run the jobs on each backend; print and write the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.targets", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--large-rounds", type=int, default=3, help="rounds at 100,000 books")
    parser.add_argument("--list-sizes", default=",".join(map(str, LIST_SIZES)))
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--scenarios", default=",".join(job[0] for job in JOBS))
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    if "postgresql" in backends and postgres_version(args.postgres) is None:
        backends.remove("postgresql")
    drop_unreachable_mariadb(backends)
    wanted = set(args.scenarios.split(","))
    list_sizes = [int(size) for size in args.list_sizes.split(",")]
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": describe(args.postgres), "backends": {}}
    table = [
        "| scenario | size | variant | median ms | min–max ms | rounds | queries | × floor "
        "| layer × hand-tuned |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for backend in backends:
        url, _ = fixture(backend, "books", FULL.books, args.postgres)
        results["backends"][backend] = {}
        table.append(f"| **{backend}** | | | | | | | | |")
        for scenario, label, variants in JOBS:
            if scenario not in wanted or not scenarios_on(backend, [scenario]):
                continue
            log(f"{backend}: {label}")
            params = _params(scenario, variants, args.rounds, args.large_rounds, list_sizes)
            job = {"kind": "scenario", "scenario": scenario, "params": params}
            measured = run_worker(url, job)
            results["backends"][backend][scenario] = measured
            for size, by_variant in measured.items():
                table.extend(_row(label, int(size), by_variant))
    results["machine"]["load_average_end"] = list(os.getloadavg())
    results["total_seconds"] = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    text = "\n".join(table) + "\n"
    (args.out / "targets.md").write_text(text)
    (args.out / "targets.json").write_text(json.dumps(results, indent=1) + "\n")
    print(text)
    print(
        f"load average at the start {results['machine'].get('load_average')}, end "
        f"{results['machine']['load_average_end']}; {results['total_seconds'] / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
