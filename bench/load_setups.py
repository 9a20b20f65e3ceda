"""The comparison and fault phases of ``make load``: server setups side by side, in one run.

- **Setups**: the same reads (``GET /api/books``, ``GET /api/books/{id}``) against gunicorn
  restarted for each of: persistent connections (``CONN_MAX_AGE=60`` with health checks) or
  psycopg's pool (``DATABASE_POOL_SIZE``, one pool per worker process), each with the async
  views (the site's) and with their sync twins (``BOOKSTORE_SYNC_API_READS=1``). One table:
  requests/s, p50, p99, errors.
- **Faults**: the reads and the token-authenticated writes while another connection
  terminates every backend of the load database (``pg_terminate_backend``) every
  ``--kill-every`` seconds, and one client placing orders that it retries with the same
  ``Idempotency-Key`` until answered (:mod:`bench.retried_orders`). Targets: no answer is a
  500 (a lost connection is a 503), and every retried order is placed exactly once.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg

from bench.load_scenarios import MIXED, Request, create_tokens, reads, top_up_stock
from bench.load_wrk import LoadResult, run_wrk
from bench.retried_orders import RetriedOrders, retried_orders

__all__ = ["SETUPS", "SetupResult", "compare_setups", "connection_killer", "fault_phase"]

COMPARED_PATHS = ("/api/books", "/api/books/{id}")
WORKER_THREADS = 4  # gunicorn --threads in bench/load.py: a pool of that size per process

SETUPS: dict[str, dict[str, str]] = {
    "persistent": {"CONN_MAX_AGE": "60", "DATABASE_POOL_SIZE": "0"},
    "pool": {"CONN_MAX_AGE": "0", "DATABASE_POOL_SIZE": str(WORKER_THREADS)},
}
VIEWS: dict[str, dict[str, str]] = {
    "async": {"BOOKSTORE_SYNC_API_READS": "0"},
    "sync": {"BOOKSTORE_SYNC_API_READS": "1"},
}

type Server = Callable[[dict[str, str], int, Path], AbstractContextManager[object]]


@dataclass(frozen=True)
class SetupResult:
    """One row of the comparison table."""

    setup: str
    views: str
    result: LoadResult

    def row(self) -> str:
        """Return the row: setup, views, req/s, p50, p99, errors."""
        r = self.result
        return (
            f"| {self.setup} | {self.views} | {r.requests_per_second:.0f} | "
            f"{r.p50_us / 1000:.2f} | {r.p99_us / 1000:.2f} | {r.errors} |"
        )


def compare_setups(
    *, setups: list[str], env: dict[str, str], server: Server, port: Callable[[], int],
    log: Path, ids: tuple[int, int], duration: int, wrk_options: dict[str, int],
) -> list[SetupResult]:  # fmt: skip
    """Run the compared reads under each setup and each kind of view; return the rows."""
    requests = reads(COMPARED_PATHS)
    rows = []
    for setup in setups:
        for views, flags in VIEWS.items():
            setup_env = {**env, **SETUPS[setup], **flags}
            listen = port()
            with server(setup_env, listen, log):
                _wrk(requests, 2, listen, ids, wrk_options)  # warm-up: connections, caches
                result = _wrk(requests, duration, listen, ids, wrk_options)
            rows.append(SetupResult(setup, views, result))
    return rows


def _wrk(
    requests: tuple[Request, ...], duration: int, port: int, ids: tuple[int, int],
    options: dict[str, int], tokens: list[str] | None = None,
) -> LoadResult:  # fmt: skip
    return run_wrk(
        requests=requests, duration=duration, port=port, ids=ids, tokens=tokens or (),
        connections=options["connections"], threads=options["threads"],
        max_requests=options["max_requests"],
    )  # fmt: skip


def table(rows: list[SetupResult]) -> str:
    """Return the comparison as a Markdown table."""
    head = "| connections | views | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|"
    return "\n".join([head, *(row.row() for row in rows)])


@contextmanager
def connection_killer(database_url: str, every: float) -> Iterator[list[int]]:
    """Terminate every other backend of the database each ``every`` seconds, in a thread.

    Yields a list that receives the number of backends terminated each time.
    """
    config = dj_database_url.parse(database_url)
    stop = threading.Event()
    killed: list[int] = []

    def run() -> None:
        with psycopg.connect(
            host=config["HOST"], port=config["PORT"] or None, user=config["USER"],
            password=config["PASSWORD"] or None, dbname=config["NAME"], autocommit=True,
        ) as conn:  # fmt: skip
            while not stop.wait(every):
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND backend_type = 'client backend'"
                ).fetchone()
                killed.append(int(row[0]) if row else 0)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield killed
    finally:
        stop.set()
        thread.join(timeout=30)


def fault_phase(
    *, env: dict[str, str], database_url: str, port: int, ids: tuple[int, int], duration: int,
    kill_every: float, wrk_options: dict[str, int],
) -> tuple[LoadResult, list[int], RetriedOrders]:  # fmt: skip
    """Drive reads and writes while backends are killed, and a client retrying its orders.

    Return wrk's result, the kills, and what became of the retried orders.
    """
    tokens = create_tokens(env)
    top_up_stock(database_url)
    requests: tuple[Request, ...] = (*reads(COMPARED_PATHS), *MIXED[:2])
    # The killer is the inner block: it stops before ``retried_orders`` counts the orders'
    # rows on exit, which it would otherwise terminate (psycopg's AdminShutdown).
    with (
        retried_orders(
            database_url=database_url, port=port, token=tokens[0], book_id=ids[0]
        ) as retried,
        connection_killer(database_url, kill_every) as killed,
    ):
        result = _wrk(requests, duration, port, ids, wrk_options, tokens)
    return result, killed, retried
