"""Reduce SQL to its shape, so statements that differ only in values group together.

``SELECT ... WHERE id = 7 LIMIT 21`` and ``... WHERE id = 8 LIMIT 21`` are the same shape: that
is how a report finds an N+1 loop. Normalised: string and number literals (with a cast, as
psycopg writes an array: ``'{1,2}'::int2[]``, its type by the largest value) and placeholders
(``%s``, ``%(name)s``, ``?``) become ``?``; ``IN (?, ?, ?)`` lists of any length become
``IN (...)``; multi-row ``VALUES (...), (...)`` become ``VALUES (...)``; whitespace collapses.
Quoted identifiers (``"table2"."id"``) are kept as they are.
"""

import functools
import re

_TOKENS = re.compile(
    r"""
      (?P<ident>"(?:[^"]|"")*")                 # quoted identifier: keep
    | (?P<string>'(?:[^']|'')*'(?:::\w+(?:\[\])?)?)  # string literal, maybe cast
    | (?P<placeholder>%\([^)]*\)s|%s|\?)        # DB-API placeholders
    | (?P<number>(?<![\w$])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w$]))
    | (?P<space>\s+)
    """,
    re.VERBOSE,
)
_IN_LIST = re.compile(r"\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)", re.IGNORECASE)
_ROW = r"\(\s*\?(?:\s*,\s*\?)*\s*\)"
_VALUES = re.compile(rf"\bVALUES\s*{_ROW}(?:\s*,\s*{_ROW})*", re.IGNORECASE)
_SELECT_LIST = re.compile(r"^SELECT (DISTINCT )?.+? FROM ", re.IGNORECASE | re.DOTALL)


def _token(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind == "ident":
        return match.group()
    if kind == "space":
        return " "
    return "?"


@functools.lru_cache(maxsize=4096)
def shape_of(sql: str) -> str:
    """Return the shape of ``sql``: literals, placeholders and value lists normalised."""
    flat = _TOKENS.sub(_token, sql).strip()
    flat = _IN_LIST.sub("IN (...)", flat)
    return _VALUES.sub("VALUES (...)", flat)


def abbreviate(shape: str, width: int = 110) -> str:
    """Return ``shape`` for display: the select list elided, cut to ``width`` characters."""
    # Display only: never executed.
    elided = lambda m: f"SELECT {m.group(1) or ''}... FROM "  # noqa: E731, S608
    short = _SELECT_LIST.sub(elided, shape, count=1)
    return short if len(short) <= width else short[: width - 3] + "..."
