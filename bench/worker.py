"""A benchmark job in a fresh process: ``python -m bench.worker '<job as JSON>'``.

The parent (:mod:`bench.__main__`) sets ``DATABASE_URL`` to a fixture database and passes a
job; the worker sets Django up, runs it, and prints its result as one JSON line on stdout
(the last line; anything else goes to stderr). A process per job keeps jobs from sharing
memory, caches or a connection, and lets the export measure its own peak RSS.
"""

import json
import os
import sys
from typing import Any

RESULT_PREFIX = "BENCH-RESULT "


def run_job(job: dict[str, Any]) -> Any:
    """Run one job (Django must be set up) and return its JSON-able result."""
    kind = job["kind"]
    if kind == "fixture-books":
        from bench.fixtures import ensure_books

        return ensure_books(job["books"])
    if kind == "fixture-export":
        from bench.fixtures import ensure_export

        return ensure_export(job["books"])
    if kind == "export":
        from bench.scenarios.export import run_export

        return run_export(job["variant"], job["rows"])
    if kind == "export-check":
        from bench.scenarios.export import check_exports

        return check_exports(job["rows"])
    if kind == "dto-memory":
        from bench.dto_memory import measure

        return measure(job["rows"])
    if kind == "scenario":
        from bench.scenarios.registry import run_scenario

        return run_scenario(job["scenario"], job["params"])
    raise ValueError(f"unknown job kind {kind!r}")


def main() -> None:
    """Set Django up from the environment, run the job in argv[1], print the result."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django

    django.setup()
    result = run_job(json.loads(sys.argv[1]))
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
