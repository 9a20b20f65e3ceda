"""Record the statements a block of code runs: ``record_queries()``.

Example::

    with record_queries() as recorded:
        list_books(limit=10)
    print(recorded.report())      # a table: shapes, call sites, duplicates, N+1 suspects
    assert recorded.count == 1

Scope (see ``hook``): every alias, in the current context and what inherits it (asyncio tasks,
``sync_to_async``, ``asyncio.to_thread``, targets wrapped in ``carry_context``); not plain
threads. Recorders nest: an inner block's statements are also seen by the outer recorder.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from fetchplan.observe import conf
from fetchplan.observe.hook import QueryRecord, observing
from fetchplan.observe.report import QueryReport


class Recorder:
    """Collect the statements run while it is active, in order."""

    def __init__(self, *, call_sites: bool = True, n_plus_one_threshold: int | None = None) -> None:
        self.records: list[QueryRecord] = []
        self._call_sites = call_sites
        self._threshold = n_plus_one_threshold

    @property
    def wants_call_site(self) -> bool:
        """Return True when records must carry their call site."""
        return self._call_sites

    def add(self, record: QueryRecord) -> None:
        """Append one finished statement (``list.append`` is atomic across threads)."""
        self.records.append(record)

    @property
    def count(self) -> int:
        """Return how many statements were recorded so far."""
        return len(self.records)

    @property
    def sql(self) -> list[str]:
        """Return the SQL of each recorded statement, in order."""
        return [record.sql for record in self.records]

    def report(self) -> QueryReport:
        """Return a report of what was recorded so far (a snapshot)."""
        threshold = self._threshold or conf.n_plus_one_threshold()
        return QueryReport(self.records, n_plus_one_threshold=threshold)


@contextmanager
def record_queries(
    *, call_sites: bool = True, n_plus_one_threshold: int | None = None
) -> Iterator[Recorder]:
    """Record every statement run in the block; yield the ``Recorder``.

    ``call_sites=False`` skips finding the call site of each statement (the only costly part)
    when only counts and times matter. ``n_plus_one_threshold`` overrides the setting
    ``FETCHPLAN_N_PLUS_ONE_THRESHOLD`` (default 3).
    """
    recorder = Recorder(call_sites=call_sites, n_plus_one_threshold=n_plus_one_threshold)
    with observing(recorder):
        yield recorder
