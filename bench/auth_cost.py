"""What refused credentials cost the server, and what a flood of them does to other clients
(issue 13, finding 6: HTTP Basic cost a PBKDF2 hash per request, even for unknown users).

Usage::

    python -m bench.auth_cost --database-url postgres://postgres@127.0.0.1:5432/bookstore_load

1. In one process, against that database: the median time of checking a wrong API token
   (what the API does now) next to Django's ``authenticate()`` of an unknown user with the
   default password hasher (what HTTP Basic did), ``--rounds`` times each.
2. Through gunicorn (production settings; the failure throttle off, so that every attempt
   is checked, unless ``--throttle``): ``GET /api/books/{id}`` latency alone, then while wrk
   floods ``POST /api/orders`` with wrong tokens over 16 connections.
"""

import argparse
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence

from bench.load import ROOT, book_id_range, free_port, gunicorn, server_env
from bench.load_scenarios import Request
from bench.load_wrk import HOST, LoadResult, run_wrk

WRONG_TOKEN = "bst_" + "A" * 43


IN_PROCESS = """
import statistics, time
from django.contrib.auth import authenticate
from repos.api_tokens import user_for_token
def median_ms(action, rounds):
    times = []
    for _ in range(rounds):
        began = time.perf_counter(); action(); times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)
token = median_ms(lambda: user_for_token("{token}"), {rounds})
basic = median_ms(lambda: authenticate(username="no-such-user", password="guess"), {rounds})
print(f"wrong API token: median {{token:.2f}} ms; authenticate() of an unknown user "
      f"(HTTP Basic before): median {{basic:.1f}} ms ({rounds} rounds each)")
"""


def latencies(port: int, path: str, count: int) -> tuple[float, float]:
    """Return the p50 and p99 (ms) of ``count`` sequential GETs of ``path``."""
    times = []
    for _ in range(count):
        began = time.perf_counter()
        urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30).close()
        times.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(times, n=100)
    return cuts[49], cuts[98]


def main(argv: Sequence[str] | None = None) -> int:
    """Print both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument(
        "--throttle", action="store_true", help="keep the failure throttle on (default: off)"
    )
    args = parser.parse_args(argv)
    env = server_env(args.database_url)
    if not args.throttle:
        env["BOOKSTORE_AUTH_FAILURES_PER_MINUTE"] = "0"
    code = IN_PROCESS.format(token=WRONG_TOKEN, rounds=args.rounds)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    ids = book_id_range(args.database_url)
    path = f"/api/books/{ids[0]}"
    port = free_port()
    log = ROOT / "bench" / "results" / "auth-cost-gunicorn.log.tmp"
    log.parent.mkdir(exist_ok=True)
    with gunicorn(env, port, log):
        alone = latencies(port, path, 100)
        flood: list[LoadResult] = []
        flooding = threading.Thread(
            target=lambda: flood.append(
                run_wrk(
                    port=port, requests=(Request("POST", "/api/orders", "{}"),), ids=ids,
                    duration=args.duration, connections=16, threads=2, max_requests=10**7,
                    tokens=(WRONG_TOKEN,),
                )
            )
        )  # fmt: skip
        flooding.start()
        time.sleep(2)
        flooded = latencies(port, path, 100)
        flooding.join()
    result = flood[0]
    print(f"GET {path} alone: p50 {alone[0]:.1f} ms, p99 {alone[1]:.1f} ms")
    print(f"GET {path} during the flood: p50 {flooded[0]:.1f} ms, p99 {flooded[1]:.1f} ms")
    refused = result.errors_status
    print(f"the flood: {result.requests_per_second:.0f} wrong-token requests/s, {refused} refused")
    print(f"failure throttle: {'on (the default)' if args.throttle else 'off'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
