"""Run a scenario's variants inside a worker: ``run_scenario("list", {...})``.

Results are JSON-able: ``{size: {variant: {"times": [...], "queries": n}}}``. A variant whose
``max_size`` is below a size is left out at that size (the report extrapolates it).
"""

import random
from collections.abc import Callable
from typing import Any

from bench.harness import Variant, measure
from bookstore.models import Author, Book

SAMPLE_SEED = 7
WARM_PAGES = 100


def _sample(ids: list[int], count: int) -> list[int]:
    """Return ``count`` ids picked by a fixed seed (the same ids on every run and backend)."""
    return random.Random(SAMPLE_SEED).sample(ids, min(count, len(ids)))


def _book_ids(count: int) -> list[int]:
    return _sample(list(Book.objects.order_by("id").values_list("id", flat=True)), count)


def _author_ids(count: int) -> list[int]:
    return _sample(list(Author.objects.order_by("id").values_list("id", flat=True)), count)


def _scenario(name: str) -> tuple[Callable[[], list[Variant]], Callable[[int], object]]:
    """Return the scenario's variant factory and its size -> argument function."""
    if name == "list":
        from bench.scenarios import listing

        return listing.variants, listing.bound_for
    if name == "detail":
        from bench.scenarios import detail

        return detail.variants, _book_ids
    if name == "single":
        from bench.scenarios import single

        return single.variants, _book_ids
    if name == "authors":
        from bench.scenarios import authors

        return authors.variants, _author_ids
    raise ValueError(f"unknown scenario {name!r}")


def run_scenario(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Measure every variant of scenario ``name`` at each of ``params["sizes"]``.

    ``params["repetitions"]`` maps each size (as a string) to its number of timed rounds.
    Sizes above ``params["check_max"]`` (default: all sizes checked) skip the warm-up: the
    process is warm from the smaller sizes, where every variant's records were checked, and a
    warm-up pass at 100,000 books would cost a minute per backend.
    """
    check_max = params.get("check_max")
    make_variants, argument_for = _scenario(name)
    only = params.get("variants")  # a subset of the variants' keys, when given
    variants = [v for v in make_variants() if only is None or v.key in only]
    results: dict[str, Any] = {}
    for size in params["sizes"]:
        included = [v for v in variants if v.max_size is None or size <= v.max_size]
        warm = check_max is None or size <= check_max
        repetitions = params["repetitions"][str(size)]
        argument = argument_for(size)
        # Pages: warming up (and checking records) on 100 of the ids is enough.
        warm_argument = argument[:WARM_PAGES] if isinstance(argument, list) else None
        measured = measure(included, argument, repetitions, warm=warm, warm_argument=warm_argument)
        results[str(size)] = {
            key: {"times": m.times, "queries": m.queries} for key, m in measured.items()
        }
    return results
