"""``python -m bench [--quick]``: run every scenario on SQLite and PostgreSQL, write results.

MariaDB runs scenarios 1 (list) and 4 (export) when it answers (``bench.config.MARIADB_SCENARIOS``).

Each job runs in its own worker process (:mod:`bench.worker`) on a fixture database
(:mod:`bench.fixtures`); the results go to ``bench/results/``: ``results.json`` (every
repetition and the machine), ``results.md`` (tables and targets) and PNG charts.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import fixtures
from bench.config import BACKENDS, EXPORT_LABELS, FULL, QUICK, Profile, scenarios_on
from bench.machine import describe, postgres_version
from bench.worker import RESULT_PREFIX

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
SCENARIOS = ("list", "detail", "authors", "export")


def log(message: str) -> None:
    """Print progress to stderr (stdout stays free for the final summary)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_worker(url: str, job: dict[str, Any]) -> Any:
    """Run ``job`` in a fresh process on database ``url``; return its JSON result."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bookstore.settings"}
    env.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    env.pop("DEBUG", None)  # DEBUG keeps every query in memory: not what production runs
    # Building a fixture (one COPY of 1,000,000 rows) and exporting it run past the bookstore's
    # 5 s statement timeout on PostgreSQL: the bench measures them, so it lifts it.
    env.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    done = subprocess.run(
        [sys.executable, "-m", "bench.worker", json.dumps(job)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"worker failed for {job}:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix(RESULT_PREFIX))


def fixture(backend: str, kind: str, books: int, server: str) -> tuple[str, Any]:
    """Create (or reuse) fixture ``bench_<kind>_<books>_<checkout>``; return its URL and counts.

    The checkout id (``CHECKOUT_ID``, set by the Makefile) keeps two checkouts on one machine
    from building into the same database at once.
    """
    name = f"bench_{kind}_{books}_{os.environ.get('CHECKOUT_ID', 'local')}"
    fixtures.create_database(backend, name, server)
    url = fixtures.database_url(backend, name, server)
    started = time.perf_counter()
    counts = run_worker(url, {"kind": f"fixture-{kind}", "books": books})
    state = "reused" if counts["reused"] else f"built in {time.perf_counter() - started:.0f} s"
    log(f"{backend}: fixture {name} {state}: {counts}")
    return url, counts


def prepare_fixtures(
    backends: list[str], profile: Profile, server: str, scenarios: list[str]
) -> dict[tuple[str, str], tuple[str, Any]]:
    """Build (or reuse) every fixture the run needs, all at once: seeding is partly I/O-bound,
    so on a first run this saves minutes. Returns ``{(backend, kind): (url, counts)}``.
    """
    wanted = []
    for backend in backends:
        chosen = scenarios_on(backend, scenarios)
        if set(chosen) & {"list", "detail", "authors"}:
            wanted.append((backend, "books", profile.books))
        if "export" in chosen:
            wanted.append((backend, "export", profile.export_books))
    with ThreadPoolExecutor(max_workers=len(wanted) or 1) as pool:
        futures = {(b, k): pool.submit(fixture, b, k, n, server) for b, k, n in wanted}
        return {key: future.result() for key, future in futures.items()}


def run_backend(
    backend: str,
    profile: Profile,
    scenarios: list[str],
    ready: dict[tuple[str, str], tuple[str, Any]],
) -> dict[str, Any]:
    """Run the chosen scenarios on one backend; return their raw results."""
    out: dict[str, Any] = {"timings_s": {}}
    scenarios = scenarios_on(backend, scenarios)
    if set(scenarios) & {"list", "detail", "authors"}:
        url, out["fixture_books"] = ready[(backend, "books")]
        pages = {"detail": profile.detail_ids, "authors": profile.author_ids}
        for scenario in [s for s in scenarios if s != "export"]:
            if scenario == "list":
                sizes = list(profile.list_sizes)
                repetitions = {str(s): profile.list_repetitions[s] for s in sizes}
            else:
                sizes = [pages[scenario]]
                repetitions = {str(sizes[0]): profile.page_repetitions}
            log(f"{backend}: scenario {scenario} at {sizes}, repetitions {repetitions}")
            started = time.perf_counter()
            params = {
                "sizes": sizes,
                "repetitions": repetitions,
                "check_max": profile.list_check_max,
            }
            job = {"kind": "scenario", "scenario": scenario, "params": params}
            out[scenario] = run_worker(url, job)
            out["timings_s"][scenario] = time.perf_counter() - started
    if "export" in scenarios:
        started = time.perf_counter()
        out["export"] = run_exports(backend, profile, ready[(backend, "export")])
        out["timings_s"]["export"] = time.perf_counter() - started
    return out


def run_exports(backend: str, profile: Profile, prepared: tuple[str, Any]) -> dict[str, Any]:
    """Run each export variant in its own process, interleaved, at each export size."""
    url, counts = prepared
    check_rows = min(1_000, *profile.export_rows)
    run_worker(url, {"kind": "export-check", "rows": check_rows})  # raises if variants differ
    variants = [v for v in EXPORT_LABELS if backend == "postgresql" or v != "pg_copy"]
    runs: dict[str, dict[str, list[Any]]] = {
        str(n): {v: [] for v in variants} for n in profile.export_rows
    }
    for rep in range(profile.export_repetitions):
        for rows in profile.export_rows:
            shift = rep % len(variants)
            for variant in [*variants[shift:], *variants[:shift]]:
                result = run_worker(url, {"kind": "export", "variant": variant, "rows": rows})
                runs[str(rows)][variant].append(result)
                log(
                    f"{backend}: export {rows:,} rows with {variant}: {result['seconds']:.2f} s, "
                    f"RSS {result['rss_before_mb']:.0f} -> peak {result['peak_rss_mb']:.0f} MB"
                )
    return {"fixture": counts, "runs": runs}


def drop_unreachable_mariadb(backends: list[str]) -> None:
    """Remove ``mariadb`` from ``backends``, with a printed note, when its server is unreachable."""
    if "mariadb" in backends and not fixtures.mariadb_ready():
        print(
            f"bench: MariaDB at {fixtures.mariadb_server()} is unreachable: skipping it",
            file=sys.stderr,
        )
        backends.remove("mariadb")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (a minute or two)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="sqlite,postgresql,mariadb")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=",".join(SCENARIOS))
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES),
        help="PostgreSQL server URL without a database name; bench_* databases are made there",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmarks and write the results."""
    from bench.report import write_results

    args = parse_args(argv)
    profile = QUICK if args.quick else FULL
    backends = [b for b in args.backends.split(",") if b]
    scenarios = [s for s in args.scenarios.split(",") if s]
    if "postgresql" in backends and postgres_version(args.postgres) is None:
        log(f"PostgreSQL at {args.postgres} does not answer: running SQLite only")
        backends.remove("postgresql")
    drop_unreachable_mariadb(backends)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": describe(args.postgres),
        "profile": profile.name,
        "backends": {},
    }
    ready = prepare_fixtures(backends, profile, args.postgres, scenarios)
    results["fixtures_seconds"] = time.perf_counter() - started
    for backend in backends:
        results["backends"][backend] = run_backend(backend, profile, scenarios, ready)
    results["machine"]["load_average_end"] = list(os.getloadavg())
    results["total_seconds"] = time.perf_counter() - started
    paths = write_results(results, profile, args.out)
    print(f"bench: {profile.name} run done in {results['total_seconds'] / 60:.1f} min; results:")
    for path in paths:
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
