"""wrk runs of ``bench/load.py``: probe each request's query count, drive the requests with
wrk and bench/load.lua, and read wrk's result back."""

import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.load_scenarios import Request

__all__ = ["HOST", "LoadResult", "Phase", "parse_wrk_output", "probe", "queries_of", "run_wrk"]

HOST = "127.0.0.1"
SERVER_TIMING = re.compile(r'desc="(\d+) queries"')
NO_WRK = "wrk is not installed: `apt-get install wrk` (make load does it)."
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
    status_503: int = 0
    status_5xx: int = 0  # 5xx answers other than 503

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
            f"timeout {self.errors_timeout}; answers 503 {self.status_503}, "
            f"other 5xx {self.status_5xx})\n"
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


def probe(
    port: int, requests: Sequence[Request], ids: tuple[int, int], tokens: Sequence[str] = ()
) -> dict[str, tuple[int, ...]]:
    """Send each request ``PROBES_PER_PATH`` times (ids spread over the range); return the
    distinct query counts seen per request."""
    seen: dict[str, tuple[int, ...]] = {}
    headers = {"Content-Type": "application/json"}
    for request in requests:
        counts: set[int] = set()
        for i in range(PROBES_PER_PATH):
            book_id = ids[0] + (ids[1] - ids[0]) * i // max(1, PROBES_PER_PATH - 1)
            path, body = request.filled(book_id)
            if tokens:
                headers["Authorization"] = f"Bearer {tokens[i % len(tokens)]}"
            sent = urllib.request.Request(
                f"http://{HOST}:{port}{path}", data=body, method=request.method, headers=headers
            )
            try:
                with urllib.request.urlopen(sent, timeout=10) as response:
                    timing = response.headers.get("Server-Timing")
            except urllib.error.HTTPError as error:
                timing = error.headers.get("Server-Timing")
            if (n := queries_of(timing)) is not None:
                counts.add(n)
        seen[request.label] = tuple(sorted(counts))
    return seen


def run_wrk(
    *, port: int, requests: Sequence[Request], ids: tuple[int, int], duration: int,
    connections: int, threads: int, max_requests: int, tokens: Sequence[str] = (),
) -> LoadResult:  # fmt: skip
    """Drive the requests with wrk for ``duration`` seconds (at most ``max_requests``)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit(NO_WRK)
    env = {
        **os.environ,
        "LOAD_REQUESTS": "\n".join(request.line() for request in requests),
        "LOAD_TOKENS": " ".join(tokens),
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


@dataclass(frozen=True)
class Phase:
    """One wrk run: what it sent, what it measured, the query counts its probe saw."""

    name: str
    requests: tuple[Request, ...]
    result: LoadResult
    per_request: dict[str, tuple[int, ...]]

    def report(self) -> str:
        """Return the phase's lines of the report."""
        lines = [
            f"== {self.name}: {', '.join(r.label for r in self.requests)}",
            self.result.report(),
        ]
        lines += [
            f"queries per request on {label}: {', '.join(map(str, counts)) or 'no header'}"
            for label, counts in self.per_request.items()
        ]
        return "\n".join(lines)

    @property
    def met(self) -> bool:
        """0 errors, and one query count per request."""
        return self.result.errors == 0 and all(len(c) == 1 for c in self.per_request.values())
