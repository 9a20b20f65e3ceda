"""Set Django up for a measurement run as ``python -m bench.<script>``, outside manage.py.

The scripts measure on a throwaway database made by Django's test machinery, so the defaults
are an in-memory SQLite database and a key that is only good for that; ``DATABASE_URL`` in the
environment points them at PostgreSQL instead.
"""

import gc
import os
import time
from collections.abc import Callable, Mapping

import django


def setup_django() -> None:
    """Configure the bookstore's settings from the environment (with the defaults above)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    django.setup()


def time_rotated(runs: Mapping[str, Callable[[], object]], reps: int) -> dict[str, list[float]]:
    """Time each run ``reps`` times, interleaved, the starting run rotating each repetition
    (so no run always goes first); a garbage collection before each. Seconds per run name."""
    names = list(runs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        shift = rep % len(names)
        for name in [*names[shift:], *names[:shift]]:
            gc.collect()
            started = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - started)
    return times
