"""An engine fast path that can be turned off for a block of code.

The compiled statements (``compiled_sql``) and the column-wise builders (``column_builders``)
each replace a slower general path that stays in the engine. Tests turn a fast path off to
compare its results with the general path's, and ``bench.profile`` to time both on the same
data.

The switch is a context variable: turning a fast path off in one thread (or asyncio task)
leaves every other thread's fetches on it, and a block nested in another restores the outer
block's state when it ends.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import count

_numbers = count()


class FastPath:
    """On unless inside :meth:`disabled`; the engine checks :attr:`on` before taking it."""

    def __init__(self) -> None:
        self._on: ContextVar[bool] = ContextVar(f"fetchplan_fast_path_{next(_numbers)}")

    @property
    def on(self) -> bool:
        """False inside :meth:`disabled` in this thread or task; True everywhere else."""
        return self._on.get(True)

    @contextmanager
    def disabled(self) -> Iterator[None]:
        """Take the general path instead inside the block (this thread or task only)."""
        token = self._on.set(False)
        try:
            yield
        finally:
            self._on.reset(token)
