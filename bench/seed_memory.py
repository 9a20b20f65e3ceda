"""Measure ``manage.py seed``: wall time and peak memory for several sizes.

Each size runs in its own process on a fresh, migrated database, so peak RSS is not
inherited from an earlier run. Usage::

    python -m bench.seed_memory 10000 100000                      # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seedbench python -m bench.seed_memory 10000

PostgreSQL: the database named in the URL is dropped and created again for each size.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent

# Runs inside the child: seed, then print peak RSS (ru_maxrss is in KiB on Linux).
CHILD = """
import resource, time, django
django.setup()
from django.core.management import call_command
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
call_command("seed", books={books}, seed=1, verbosity=0)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{{before / 1024:.1f}} {{peak / 1024:.1f}} {{elapsed:.1f}}")
"""


def fresh_database(url: str) -> str:
    """Return a URL of an empty database of the same backend as ``url``."""
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(tempfile.mkdtemp()) / "seed.sqlite3"
        return f"sqlite:///{path}"
    name = config["NAME"]
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or None, user=config["USER"], dbname="postgres",
        autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(
            psycopg.sql.SQL("DROP DATABASE IF EXISTS {}").format(psycopg.sql.Identifier(name))
        )
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    return url


def measure(url: str, books: int) -> str:
    """Seed ``books`` books into a fresh database; return a one-line report."""
    env = {**os.environ, "DATABASE_URL": fresh_database(url), "SECRET_KEY": "bench"}
    env["DJANGO_SETTINGS_MODULE"] = "bookstore.settings"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(books=books)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    before, peak, elapsed = out
    return (
        f"{books:>9,} books: seed {elapsed} s (process {time.perf_counter() - started:.1f} s), "
        f"RSS before {before} MiB, peak {peak} MiB"
    )


def main() -> None:
    url = os.environ.get("DATABASE_URL", "sqlite:///unused")
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    print(f"backend: {dj_database_url.parse(url)['ENGINE']}")
    for books in sizes:
        print(measure(url, books), flush=True)


if __name__ == "__main__":
    main()
