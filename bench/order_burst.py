"""16 clients x 50 orders of one hot book through gunicorn: every order placed or refused for
want of stock, none lost to a locked database (issue 13, finding 8).

Usage::

    python -m bench.order_burst --database-url sqlite:////tmp/burst.sqlite3
    python -m bench.order_burst --database-url postgres://postgres@127.0.0.1:5432/burst

The database is created if missing (PostgreSQL) and migrated; one book with ``--stock``
copies is added, and ``--clients`` accounts with a customer and an API token each. gunicorn
(3 gthread workers x 4 threads, production settings) then gets ``--clients`` threads each
sending ``--orders`` one-copy orders of that book at once. Reported: answers by status,
latency percentiles, and whether the outcome is exact (placed == the stock, the rest 409,
stock 0, as many order rows as 201s). Environment variables of the server (e.g.
``SQLITE_BUSY_TIMEOUT=0``) pass through. Only 127.0.0.1 is targeted.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence

import dj_database_url

from bench.load import ROOT, ensure_database, free_port, gunicorn, manage, server_env
from bench.load_scenarios import create_tokens
from bench.load_wrk import HOST

SETUP = """
from decimal import Decimal
from bookstore.models import Author, Book, Stock
from bookstore.seeding.generator import isbn13
author = Author.objects.create(name="Burst")
book = Book.objects.create(title="Hot", isbn=isbn13(Book.objects.count() + 900_000_000),
                           price=Decimal("10"), published="2020-01-01", author=author)
Stock.objects.create(book=book, on_hand={stock})
print(book.pk)
"""
CHECK = """
from bookstore.models import Order, Stock
orders = Order.objects.filter(lines__book_id={book}).count()
print(Stock.objects.get(book_id={book}).on_hand, orders)
"""


def shell(env: dict[str, str], code: str) -> str:
    """Run ``code`` in ``manage.py shell`` with the server's settings; return its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def client(
    port: int, token: str, book: int, orders: int, start: threading.Barrier,
    statuses: Counter[int], latencies: list[float], lock: threading.Lock,
) -> None:  # fmt: skip
    """Send ``orders`` one-copy orders, one after the other, recording each answer."""
    body = json.dumps({"lines": [{"book_id": book, "quantity": 1}]}).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start.wait()
    for _ in range(orders):
        request = urllib.request.Request(
            f"http://{HOST}:{port}/api/orders", data=body, headers=headers, method="POST"
        )
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        with lock:
            statuses[status] += 1
            latencies.append(time.perf_counter() - began)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the burst and print the outcome; return 1 unless it is exact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument("--stock", type=int, default=400)
    args = parser.parse_args(argv)

    if dj_database_url.parse(args.database_url)["ENGINE"].endswith("postgresql"):
        ensure_database(args.database_url)
    env = {**server_env(args.database_url), "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "0")}
    manage(env, "migrate", "--no-input", "-v", "0")
    book = int(shell(env, SETUP.format(stock=args.stock)))
    tokens = create_tokens(env, count=args.clients)
    port = free_port()
    log = ROOT / "bench" / "results" / "order-burst-gunicorn.log.tmp"
    log.parent.mkdir(exist_ok=True)
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    lock, start = threading.Lock(), threading.Barrier(args.clients)
    with gunicorn(env, port, log):
        threads = [
            threading.Thread(
                target=client,
                args=(port, token, book, args.orders, start, statuses, latencies, lock),
            )
            for token in tokens
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    on_hand, orders = map(int, shell(env, CHECK.format(book=book)).split())
    total = args.clients * args.orders
    cuts = statistics.quantiles(latencies, n=100)
    print(f"== {args.clients} clients x {args.orders} orders of one book with {args.stock} copies")
    print(f"database: {dj_database_url.parse(args.database_url)['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"answers: {dict(sorted(statuses.items()))} in {elapsed:.1f} s ({total / elapsed:.0f}/s)")
    print(f"latency: p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")  # fmt: skip
    print(f"stock left {on_hand}, order rows {orders}")
    placed = min(args.stock, total)
    exact = statuses == Counter({201: placed, 409: total - placed}) and (on_hand, orders) == (
        args.stock - placed,
        placed,
    )
    print(f"exact (every copy sold, the rest 409, no other answer): {'yes' if exact else 'NO'}")
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
