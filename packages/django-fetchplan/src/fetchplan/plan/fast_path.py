"""An engine fast path that can be turned off for a block of code.

The compiled statements (``compiled_sql``) and the column-wise builders (``column_builders``)
each replace a slower general path that stays in the engine. Tests turn a fast path off to
compare its results with the general path's, and ``bench.profile`` to time both on the same
data.
"""

from collections.abc import Iterator
from contextlib import contextmanager


class FastPath:
    """On unless inside :meth:`disabled`; the engine checks :attr:`on` before taking it."""

    def __init__(self) -> None:
        self.on = True

    @contextmanager
    def disabled(self) -> Iterator[None]:
        """Take the general path instead inside the block."""
        self.on = False
        try:
            yield
        finally:
            self.on = True
