"""Summarise recorded statements: totals, shapes, duplicates and N+1 suspects, as a table.

- A *shape* groups statements that differ only in values (see ``shapes.shape_of``).
- A *duplicate* is the same SQL with the same parameters on the same alias, run again: the
  second and later runs are wasted work (``duplicate_count`` counts those extra runs).
- An *N+1 suspect* is one shape run from one call site at least ``threshold`` times: the
  signature of a lazy load inside a loop. One batched ``prefetch_related`` is two statements of
  two shapes, so it is never a suspect.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, override

from fetchplan.observe.callsite import CallSite
from fetchplan.observe.hook import QueryRecord
from fetchplan.observe.shapes import abbreviate, shape_of


@dataclass(frozen=True, slots=True)
class ShapeGroup:
    """The statements of one shape: how many, their total time, and where they came from."""

    shape: str
    count: int
    total_time: float
    aliases: tuple[str, ...]
    call_sites: tuple[tuple[CallSite, int], ...]


@dataclass(frozen=True, slots=True)
class Duplicate:
    """One statement (same alias, SQL and parameters) that ran ``count`` times."""

    alias: str
    sql: str
    params: Any
    count: int
    call_sites: tuple[CallSite, ...]


@dataclass(frozen=True, slots=True)
class NPlusOneSuspect:
    """One shape run ``count`` times from one call site."""

    shape: str
    call_site: CallSite
    count: int
    total_time: float


class QueryReport:
    """What a recorder saw; ``str(report)`` is ``report.table()``."""

    def __init__(self, records: Sequence[QueryRecord], *, n_plus_one_threshold: int) -> None:
        self.records = tuple(records)
        self.n_plus_one_threshold = n_plus_one_threshold

    @property
    def count(self) -> int:
        """Return the number of statements (an ``executemany`` counts once)."""
        return len(self.records)

    @property
    def total_time(self) -> float:
        """Return the summed duration of all statements, in seconds."""
        return sum(record.duration for record in self.records)

    @cached_property
    def shapes(self) -> tuple[ShapeGroup, ...]:
        """Return the shape groups, most frequent first (then slowest)."""
        groups: dict[str, list[QueryRecord]] = defaultdict(list)
        for record in self.records:
            groups[shape_of(record.sql)].append(record)
        result = [
            ShapeGroup(
                shape=shape,
                count=len(records),
                total_time=sum(r.duration for r in records),
                aliases=tuple(sorted({r.alias for r in records})),
                call_sites=tuple(Counter(r.call_site for r in records).most_common()),
            )
            for shape, records in groups.items()
        ]
        return tuple(sorted(result, key=lambda g: (-g.count, -g.total_time)))

    @cached_property
    def duplicates(self) -> tuple[Duplicate, ...]:
        """Return the statements that ran more than once with the same parameters."""
        seen: dict[tuple[str, str, str], list[QueryRecord]] = defaultdict(list)
        for record in self.records:
            seen[(record.alias, record.sql, repr(record.params))].append(record)
        return tuple(
            Duplicate(
                alias=records[0].alias,
                sql=records[0].sql,
                params=records[0].params,
                count=len(records),
                call_sites=tuple(dict.fromkeys(r.call_site for r in records)),
            )
            for records in sorted(seen.values(), key=len, reverse=True)
            if len(records) > 1
        )

    @property
    def duplicate_count(self) -> int:
        """Return how many statements repeated an earlier one exactly (the wasted runs)."""
        return sum(duplicate.count - 1 for duplicate in self.duplicates)

    @cached_property
    def n_plus_one(self) -> tuple[NPlusOneSuspect, ...]:
        """Return the (shape, call site) pairs seen at least ``n_plus_one_threshold`` times."""
        suspects = []
        for group in self.shapes:
            for call_site, count in group.call_sites:
                if count >= self.n_plus_one_threshold:
                    time = sum(
                        r.duration
                        for r in self.records
                        if r.call_site == call_site and shape_of(r.sql) == group.shape
                    )
                    suspects.append(NPlusOneSuspect(group.shape, call_site, count, time))
        return tuple(suspects)

    # -- printing ---------------------------------------------------------------------------

    def summary(self) -> str:
        """Return the one-line summary: count, time, shapes, duplicates, N+1 suspects."""
        return (
            f"{self.count} {_plural(self.count, 'query', 'queries')} in "
            f"{self.total_time * 1000:.2f} ms: {len(self.shapes)} "
            f"{_plural(len(self.shapes), 'shape', 'shapes')}, {self.duplicate_count} "
            f"{_plural(self.duplicate_count, 'duplicate', 'duplicates')}, {len(self.n_plus_one)} "
            f"N+1 {_plural(len(self.n_plus_one), 'suspect', 'suspects')}"
        )

    def table(self, *, width: int = 110) -> str:
        """Return the report as text: summary, shapes with call sites, N+1 suspects, duplicates."""
        lines = [self.summary()]
        if not self.records:
            return lines[0]
        lines += ["", f"{'count':>5}  {'ms':>8}  {'alias':<8}  shape / call sites", "-" * width]
        for group in self.shapes:
            lines.append(
                f"{group.count:>5}  {group.total_time * 1000:>8.2f}  "
                f"{','.join(group.aliases):<8}  {abbreviate(group.shape, width - 27)}"
            )
            for call_site, count in group.call_sites:
                lines.append(f"{'':>27}{count:>4}x {call_site}")
        if self.n_plus_one:
            lines += [
                "",
                f"N+1 suspects (one shape from one line >= {self.n_plus_one_threshold}x):",
            ]
            for suspect in self.n_plus_one:
                lines.append(f"  {suspect.count}x at {suspect.call_site}")
                lines.append(f"      {abbreviate(suspect.shape, width - 6)}")
        if self.duplicates:
            lines += ["", "Duplicates (same SQL and parameters):"]
            for duplicate in self.duplicates:
                params = abbreviate(repr(duplicate.params), 40)
                lines.append(f"  {duplicate.count}x params={params}")
                lines.append(f"      {abbreviate(shape_of(duplicate.sql), width - 6)}")
        return "\n".join(lines)

    @override
    def __str__(self) -> str:
        return self.table()

    @override
    def __repr__(self) -> str:
        return f"<QueryReport {self.summary()}>"


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many
