"""Load-test the site: gunicorn on 127.0.0.1 against a seeded PostgreSQL, driven by wrk.

Usage (``make load`` runs the first form)::

    python -m bench.load [PATH ...] [--duration 30] [--books 10000] [--connections 16]
        [--max-requests 300000] [--database-url postgres://postgres@127.0.0.1:5432/bookstore_load]

PATHs default to ``/api/books /api/books/{id} /books/``; ``{id}`` becomes a random book id
per request. Steps: create the database if missing, migrate, seed ``--books`` books (only if
empty), start gunicorn on a free port of 127.0.0.1 with production settings (DEBUG off, HTTPS
redirect off because the test speaks plain HTTP, the query middleware on for its
``Server-Timing`` header), probe each path 20 times for its query count, drive the paths for
``--duration`` seconds (at most ``--max-requests`` responses), stop gunicorn, and report
requests/s, p50/p99 latency, errors and queries per request. Only 127.0.0.1 is ever targeted.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_PATHS = ("/api/books", "/api/books/{id}", "/books/")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bookstore_load"
SERVER_TIMING = re.compile(r'desc="(\d+) queries"')
NO_WRK = "wrk is not installed: `apt-get install wrk` (make load does it)."
NOT_LOCAL = "bench.load only targets 127.0.0.1, and the database must be local too, not {host!r}."
PROBES_PER_PATH = 20


@dataclass(frozen=True)
class LoadResult:
    """What wrk measured, as ``done()`` in bench/load.lua reports it."""

    requests: int
    duration_us: int
    p50_us: int
    p99_us: int
    max_us: int
    errors_connect: int
    errors_read: int
    errors_write: int
    errors_status: int
    errors_timeout: int
    timed: int
    queries_sum: int
    queries_min: int
    queries_max: int

    @property
    def errors(self) -> int:
        """Every failed request: socket errors, timeouts and non-2xx/3xx answers."""
        return (
            self.errors_connect
            + self.errors_read
            + self.errors_write
            + self.errors_status
            + self.errors_timeout
        )

    @property
    def requests_per_second(self) -> float:
        """Completed requests per second of the run."""
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0

    def report(self) -> str:
        """Return the result as the few lines the README quotes."""
        mean = self.queries_sum / self.timed if self.timed else float("nan")
        return (
            f"requests: {self.requests} in {self.duration_us / 1e6:.1f} s = "
            f"{self.requests_per_second:.0f} req/s\n"
            f"latency: p50 {self.p50_us / 1000:.2f} ms, p99 {self.p99_us / 1000:.2f} ms, "
            f"max {self.max_us / 1000:.2f} ms\n"
            f"errors: {self.errors} (connect {self.errors_connect}, read {self.errors_read}, "
            f"write {self.errors_write}, status {self.errors_status}, "
            f"timeout {self.errors_timeout})\n"
            f"queries per request: min {self.queries_min}, mean {mean:.2f}, "
            f"max {self.queries_max} ({self.timed} responses with Server-Timing)"
        )


def parse_wrk_output(output: str) -> LoadResult:
    """Return the ``LOAD_RESULT`` line of wrk's output as a ``LoadResult``."""
    for line in output.splitlines():
        if line.startswith("LOAD_RESULT "):
            return LoadResult(**json.loads(line.removeprefix("LOAD_RESULT ")))
    raise ValueError(f"no LOAD_RESULT line in wrk's output:\n{output}")


def queries_of(server_timing: str | None) -> int | None:
    """Return the query count a ``Server-Timing`` header reports, or None."""
    match = SERVER_TIMING.search(server_timing or "")
    return int(match.group(1)) if match else None


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


def probe(port: int, paths: Sequence[str], ids: tuple[int, int]) -> dict[str, tuple[int, ...]]:
    """Request each path ``PROBES_PER_PATH`` times (ids spread over the range); return the
    distinct status codes and query counts seen per path."""
    seen: dict[str, tuple[int, ...]] = {}
    for path in paths:
        counts: set[int] = set()
        for i in range(PROBES_PER_PATH):
            book_id = ids[0] + (ids[1] - ids[0]) * i // max(1, PROBES_PER_PATH - 1)
            url = f"http://{HOST}:{port}{path.replace('{id}', str(book_id))}"
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    timing = response.headers.get("Server-Timing")
            except urllib.error.HTTPError as error:
                timing = error.headers.get("Server-Timing")
            if (n := queries_of(timing)) is not None:
                counts.add(n)
        seen[path] = tuple(sorted(counts))
    return seen


def run_wrk(
    *, port: int, paths: Sequence[str], ids: tuple[int, int], duration: int, connections: int,
    threads: int, max_requests: int,
) -> LoadResult:  # fmt: skip
    """Drive the paths with wrk for ``duration`` seconds (at most ``max_requests``)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit(NO_WRK)
    env = {
        **os.environ,
        "LOAD_PATHS": " ".join(paths),
        "LOAD_ID_MIN": str(ids[0]),
        "LOAD_ID_MAX": str(ids[1]),
        "LOAD_PER_THREAD": str(max(1, max_requests // threads)),
    }
    command = [
        wrk, f"--threads={threads}", f"--connections={connections}", f"--duration={duration}s",
        "--timeout=10s", "--latency", f"--script={Path(__file__).with_name('load.lua')}",
        f"http://{HOST}:{port}",
    ]  # fmt: skip
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=duration + 60, check=True
    )
    return parse_wrk_output(done.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load test; return 0, or 1 with ``--require-target`` when the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=300_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument(
        "--require-target", action="store_true", help="exit 1 unless 0 errors, constant queries"
    )
    args = parser.parse_args(argv)

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
        per_path = probe(port, args.paths, ids)
        result = run_wrk(
            port=port, paths=args.paths, ids=ids, duration=args.duration,
            connections=args.connections, threads=args.threads, max_requests=args.max_requests,
        )  # fmt: skip
    print(f"== {args.duration} s, {args.connections} connections, paths: {' '.join(args.paths)}")
    print(result.report())
    for path, counts in per_path.items():
        print(f"queries per request on {path}: {', '.join(map(str, counts)) or 'no header'}")
    constant = all(len(counts) == 1 for counts in per_path.values())
    met = result.errors == 0 and constant
    print(f"target (0 errors, constant queries per request): {'met' if met else 'NOT met'}")
    return 1 if args.require_target and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
