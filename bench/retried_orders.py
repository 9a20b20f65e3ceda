"""Orders retried through the fault phase of ``make load``: each placed exactly once.

While backends are terminated, one client places one-copy orders one after another, each with
its own ``Idempotency-Key``. It retries an order with the same key until the API answers 201
or 200 (a lost connection answers 503, or the connection drops), as a client following the
API's contract would. Afterwards the database must hold exactly one order per key, each with
exactly its one line: no order lost, none placed twice, none half-written.
"""

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dj_database_url
import psycopg

from bench.load_wrk import HOST

__all__ = ["RetriedOrders", "retried_orders"]

RETRY_PAUSE = 0.1  # seconds between two tries of one order
MAX_TRIES = 100  # per order: far beyond what a 3 s kill period needs


@dataclass
class RetriedOrders:
    """What the retrying client saw, and what the database holds for its keys."""

    prefix: str
    answered: dict[str, int] = field(default_factory=dict)  # key -> final status
    tries: Counter[int | str] = field(default_factory=Counter)  # every answer, by status
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (orders, lines)

    @property
    def exact(self) -> bool:
        """True when every key was placed (2xx) and holds exactly one order of one line."""
        placed = {key for key, status in self.answered.items() if status in (200, 201)}
        return (
            bool(self.answered)
            and placed == set(self.answered)
            and set(self.rows) == placed
            and all(counts == (1, 1) for counts in self.rows.values())
        )

    def report(self) -> str:
        """One line: orders, tries by answer, and the verdict."""
        tries = ", ".join(f"{status}: {n}" for status, n in sorted(self.tries.items(), key=str))
        return (
            f"retried orders: {len(self.answered)} orders, tries by answer ({tries}); database: "
            f"{len(self.rows)} keys with orders; target (each placed exactly once): "
            f"{'met' if self.exact else 'NOT met'}"
        )


def _post_order(port: int, token: str, book_id: int, key: str) -> int | str:
    """Send one order; return the HTTP status, or the name of the connection error."""
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/orders",
        data=json.dumps({"lines": [{"book_id": book_id, "quantity": 1}]}).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key,
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError) as error:
        return type(error).__name__


def _place(result: RetriedOrders, port: int, token: str, book_id: int, key: str) -> None:
    """Try one order until it is answered 2xx or a status that retrying cannot change."""
    for _ in range(MAX_TRIES):
        status = _post_order(port, token, book_id, key)
        result.tries[status] += 1
        if isinstance(status, int) and status != 503:
            result.answered[key] = status
            return
        time.sleep(RETRY_PAUSE)
    result.answered[key] = 503


def _count_rows(database_url: str, result: RetriedOrders) -> None:
    """Fill ``result.rows``: orders and order lines per key of this run."""
    config = dj_database_url.parse(database_url)
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or None, user=config["USER"],
        password=config["PASSWORD"] or None, dbname=config["NAME"],
    ) as conn:  # fmt: skip
        rows = conn.execute(
            "SELECT o.idempotency_key, count(DISTINCT o.id), count(l.id)"
            " FROM bookstore_order o LEFT JOIN bookstore_orderline l ON l.order_id = o.id"
            " WHERE o.idempotency_key LIKE %s GROUP BY o.idempotency_key",
            [result.prefix + "%"],
        ).fetchall()
    result.rows = {key: (int(orders), int(lines)) for key, orders, lines in rows}


@contextmanager
def retried_orders(
    *, database_url: str, port: int, token: str, book_id: int
) -> Iterator[RetriedOrders]:
    """Place retried orders in a thread for the duration of the block, then count the rows."""
    result = RetriedOrders(prefix=f"fault-{time.time_ns()}-")
    stop = threading.Event()

    def run() -> None:
        n = 0
        while not stop.is_set():
            _place(result, port, token, book_id, f"{result.prefix}{n}")
            n += 1

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join(timeout=MAX_TRIES * (RETRY_PAUSE + 30))
        _count_rows(database_url, result)
