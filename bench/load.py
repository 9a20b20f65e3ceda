"""Load-test the site: gunicorn on 127.0.0.1 against a seeded PostgreSQL, driven by wrk.

Usage (``make load`` runs the first form)::

    python -m bench.load [PATH ...] [--scenarios reads,mixed,sorts] [--duration 30]
        [--books 10000] [--connections 16] [--max-requests 300000]
        [--database-url postgres://postgres@127.0.0.1:5432/bookstore_load]

Steps: create the database if missing, migrate, seed ``--books`` books (only if empty), start
gunicorn on a free port of 127.0.0.1 with production settings (DEBUG off, HTTPS redirect off
because the test speaks plain HTTP, the query middleware on for its ``Server-Timing``
header), then run each scenario of ``bench/load_scenarios.py``: probe each request 20 times
for its query count, drive them with wrk for ``--duration`` seconds (at most
``--max-requests`` responses), and report requests/s, p50/p99 latency, errors and queries per
request. PATHs (for ``reads``) default to ``/api/books /api/books/{id} /books/``; ``{id}``
becomes a random book id per request. Only 127.0.0.1 is ever targeted.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

from bench.load_scenarios import (
    MIXED,
    PRICE_SORTED,
    RATING_SORTED,
    SCENARIOS,
    create_tokens,
    reads,
    top_up_stock,
)
from bench.load_setups import SETUPS, compare_setups, fault_phase, table
from bench.load_wrk import HOST, Phase, probe, run_wrk

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ("/api/books", "/api/books/{id}", "/books/")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bookstore_load"
NOT_LOCAL = "bench.load only targets 127.0.0.1, and the database must be local too, not {host!r}."
MIN_SORT_RATIO = 0.5  # the rating sort serves at least half the price sort's requests/s


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist."""
    config = dj_database_url.parse(url)
    if config["HOST"] not in {HOST, "localhost"}:
        raise SystemExit(NOT_LOCAL.format(host=config["HOST"]))
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or None, user=config["USER"],
        password=config["PASSWORD"] or None, dbname="postgres", autocommit=True,
    ) as conn:  # fmt: skip
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if exists.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def server_env(database_url: str) -> dict[str, str]:
    """Return the environment of the server and of manage.py: production settings."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; everything else stays production
        "FETCHPLAN_QUERY_MIDDLEWARE": "1",
        "CONN_MAX_AGE": "60",
    }


def manage(env: dict[str, str], *args: str) -> None:
    """Run ``manage.py`` with ``args``; raise if it fails."""
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def book_id_range(database_url: str) -> tuple[int, int]:
    """Return the smallest and largest book id of the database."""
    config = dj_database_url.parse(database_url)
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or None, user=config["USER"],
        password=config["PASSWORD"] or None, dbname=config["NAME"],
    ) as conn:  # fmt: skip
        row = conn.execute("SELECT min(id), max(id) FROM bookstore_book").fetchone()
    if row is None or row[0] is None:
        return (1, 1)
    return (int(row[0]), int(row[1]))


@contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run gunicorn on 127.0.0.1:``port`` until the block ends; wait until it answers."""
    command = [
        sys.executable, "-m", "gunicorn", "bookstore.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", "3", "--threads", "4",
        "--worker-class", "gthread", "--timeout", "30",
    ]  # fmt: skip
    with log.open("wb") as log_file:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=2).close()
                    break
                except urllib.error.HTTPError:
                    break  # it answers (a 4xx/5xx of / is the run's business)
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"gunicorn did not start; see {log}") from None
                    time.sleep(0.2)
            yield server
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wrk_options(args: argparse.Namespace) -> dict[str, int]:
    """Return the wrk settings every phase shares."""
    return {
        "connections": args.connections, "threads": args.threads,
        "max_requests": args.max_requests,
    }  # fmt: skip


def run_scenarios(
    args: argparse.Namespace, env: dict[str, str], port: int, ids: tuple[int, int]
) -> tuple[list[Phase], bool]:
    """Run the chosen scenarios against the running server; return the phases and whether
    every target was met."""
    wrk_options = {
        "port": port, "ids": ids, "connections": args.connections, "threads": args.threads,
        "max_requests": args.max_requests,
    }  # fmt: skip
    phases: list[Phase] = []
    met = True
    for scenario in args.scenarios:
        if scenario == "reads":
            requests, tokens = reads(args.paths), []
        elif scenario == "mixed":
            requests, tokens = MIXED, create_tokens(env)
            top_up_stock(args.database_url)
        else:
            requests, tokens = (RATING_SORTED, PRICE_SORTED), []
        per_request = probe(port, requests, ids, tokens)
        if scenario != "sorts":
            result = run_wrk(
                requests=requests, duration=args.duration, tokens=tokens, **wrk_options
            )
            phases.append(Phase(scenario, requests, result, per_request))
            met = met and phases[-1].met
            continue
        half = max(1, args.duration // 2)
        for request in requests:
            result = run_wrk(requests=(request,), duration=half, **wrk_options)
            counts = {request.label: per_request[request.label]}
            phases.append(Phase(f"sorts ({half} s each)", (request,), result, counts))
            met = met and phases[-1].met
        ratio = phases[-2].result.requests_per_second / max(
            phases[-1].result.requests_per_second, 1e-9
        )
        target = f"target >= {MIN_SORT_RATIO}"
        print(f"== rating sort / price sort: {ratio:.2f} of the requests/s ({target})")
        met = met and ratio >= MIN_SORT_RATIO
    return phases, met


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load test; return 0, or 1 with ``--require-target`` when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    parser.add_argument(
        "--scenarios", type=lambda text: [s for s in text.split(",") if s], default=list(SCENARIOS)
    )
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=300_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument(
        "--setups", type=lambda text: [s for s in text.split(",") if s],
        default=list(SETUPS), help="connection setups to compare (persistent,pool); none: skip",
    )  # fmt: skip
    parser.add_argument("--compare-duration", type=int, default=10)
    parser.add_argument(
        "--kill-every", type=float, default=3.0,
        help="seconds between pg_terminate_backend rounds in the fault phase; 0: no fault phase",
    )  # fmt: skip
    parser.add_argument(
        "--require-target", action="store_true", help="exit 1 unless every target is met"
    )
    args = parser.parse_args(argv)
    if set(args.setups) - set(SETUPS):
        parser.error(f"unknown setups; choose from {', '.join(SETUPS)}")
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")

    ensure_database(args.database_url)
    env = server_env(args.database_url)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed", "--books", str(args.books), "--if-empty")
    ids = book_id_range(args.database_url)
    port = free_port()
    log = ROOT / "bench" / "results" / "load-gunicorn.log.tmp"
    log.parent.mkdir(exist_ok=True)
    print(f"== gunicorn on http://{HOST}:{port}/ (log: {log.relative_to(ROOT)})")
    with gunicorn(env, port, log):
        phases, met = run_scenarios(args, env, port, ids)
        faults = None
        if args.kill_every > 0:
            faults = fault_phase(
                env=env, database_url=args.database_url, port=port, ids=ids,
                duration=args.duration, kill_every=args.kill_every, wrk_options=wrk_options(args),
            )  # fmt: skip
    rows = compare_setups(
        setups=args.setups, env=env, server=gunicorn, port=free_port, log=log, ids=ids,
        duration=args.compare_duration, wrk_options=wrk_options(args),
    )  # fmt: skip
    print(f"== {args.duration} s per scenario, {args.connections} connections")
    for phase in phases:
        print(phase.report())
    if faults is not None:
        result, killed, retried = faults
        print(
            f"== faults: every backend terminated each {args.kill_every:g} s "
            f"({len(killed)} rounds, {sum(killed)} backends) during reads and writes\n"
            f"{result.report()}\n"
            f"target (no answer is a 500; a lost connection is a 503): "
            f"{'met' if result.status_5xx == 0 else 'NOT met'}\n"
            f"{retried.report()}"
        )
        met = met and result.status_5xx == 0 and retried.exact
    if rows:
        print(f"== connection setups and views, {args.compare_duration} s each:\n{table(rows)}")
        met = met and all(row.result.errors == 0 for row in rows)
    print(
        "target (0 errors, constant queries per request, rating sort >= "
        f"{MIN_SORT_RATIO} x the price sort): {'met' if met else 'NOT met'}"
    )
    return 1 if args.require_target and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
