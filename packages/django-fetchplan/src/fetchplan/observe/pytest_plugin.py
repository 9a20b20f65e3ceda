"""Pytest fixtures that pin query counts and forbid queries.

Enable in a ``conftest.py`` with ``pytest_plugins = ["fetchplan.observe.pytest_plugin"]``.

- ``assert_num_queries``: ``with assert_num_queries(2): ...`` fails unless the block ran exactly
  2 statements; the failure shows the report table (shapes, call sites, N+1 suspects).
- ``assert_constant_queries``: ``assert_constant_queries(run, small=setup_10, large=setup_1000)``
  runs each setup in its own rolled-back savepoint, counts ``run()``'s statements after each, and
  fails unless the two counts are equal: the N+1 detector for tests.
- ``assert_no_queries``: ``with assert_no_queries(): ...`` runs the block in a no-query zone and
  fails the test on a refused statement even when the code inside swallowed the exception.

The library registers this module as a pytest plugin (entry point ``pytest11``), so the
fixtures exist in every pytest run of a project that installs it. pytest imports plugins
before Django's settings are configured, so nothing here touches Django until a fixture runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fetchplan.observe.recorder import Recorder
    from fetchplan.observe.zones import QueryZone

DEFAULT_DB_ALIAS = "default"  # django.db.DEFAULT_DB_ALIAS, without importing Django here

WRONG_QUERY_COUNT = "Expected {expected} queries, ran {actual}.\n{table}"
NOT_CONSTANT = (
    "The query count depends on the data size: {small} queries at the small size, {large} at "
    "the large size.\n\nSmall size:\n{small_table}\n\nLarge size:\n{large_table}"
)
SWALLOWED_FORBIDDEN = "A statement ran in a no-query zone (and the error was caught):\n{errors}"

type AssertNumQueries = Callable[[int], AbstractContextManager[Recorder]]
type AssertNoQueries = Callable[[], AbstractContextManager[QueryZone]]


class AssertConstantQueries:
    """Compare a callable's query count at two data sizes (see ``__call__``)."""

    def __call__(
        self,
        run: Callable[[], object],
        *,
        small: Callable[[], object],
        large: Callable[[], object],
        using: str = DEFAULT_DB_ALIAS,
    ) -> int:
        """Return the (equal) count of ``run()`` after ``small()`` and after ``large()``.

        Each setup and its measurement run in a savepoint on ``using`` that is rolled back, so
        the two sizes do not add up. Fails the test when the counts differ.
        """
        small_rec = _measure(run, small, using)
        large_rec = _measure(run, large, using)
        if small_rec.count != large_rec.count:
            pytest.fail(
                NOT_CONSTANT.format(
                    small=small_rec.count,
                    large=large_rec.count,
                    small_table=small_rec.report().table(),
                    large_table=large_rec.report().table(),
                ),
                pytrace=False,
            )
        return small_rec.count


def _measure(run: Callable[[], object], setup: Callable[[], object], using: str) -> Recorder:
    from django.db import transaction

    from fetchplan.observe.recorder import record_queries

    with transaction.atomic(using=using):
        setup()
        with record_queries() as recorder:
            run()
        transaction.set_rollback(True, using=using)
    return recorder


@contextmanager
def _exactly(expected: int) -> Iterator[Recorder]:
    from fetchplan.observe.recorder import record_queries

    with record_queries() as recorder:
        yield recorder
    if recorder.count != expected:
        table = recorder.report().table()
        pytest.fail(
            WRONG_QUERY_COUNT.format(expected=expected, actual=recorder.count, table=table),
            pytrace=False,
        )


@contextmanager
def _forbidden() -> Iterator[QueryZone]:
    from fetchplan.observe.zones import no_queries

    with no_queries(label="assert_no_queries") as zone:
        yield zone
    if zone.violations:
        errors = "\n".join(f"- {error}" for error in zone.violations)
        pytest.fail(SWALLOWED_FORBIDDEN.format(errors=errors), pytrace=False)


@pytest.fixture
def assert_num_queries() -> AssertNumQueries:
    """Return a context manager factory: ``with assert_num_queries(n): ...``."""
    return _exactly


@pytest.fixture
def assert_constant_queries() -> AssertConstantQueries:
    """Return a checker: ``assert_constant_queries(run, small=..., large=...)``."""
    return AssertConstantQueries()


@pytest.fixture
def assert_no_queries() -> AssertNoQueries:
    """Return a context manager factory: ``with assert_no_queries(): ...``."""
    return _forbidden
