"""Declare how many queries a repository function may run: ``@query_budget(n)``.

A repository function's query count is part of its contract (usually 1, plus one per to-many
relation). The budget is a number or anything with a ``budget() -> int`` method, such as a
fetch plan, whose ``explain`` knows its own budget::

    @query_budget(1)
    def list_recent_books(*, limit: int = 10) -> list[BookSummary]: ...

    @query_budget(BOOK_DETAIL_PLAN)          # asks plan.budget() at each call
    def get_book(book_id: int) -> BookDetail: ...

Exceeding it (when the function returns normally) does what ``FETCHPLAN_QUERY_BUDGET_MODE`` says:
``"raise"`` ``QueryBudgetExceeded`` (default in DEBUG and tests), ``"warn"`` a
``QueryBudgetWarning`` pointing at the caller, or ``"log"`` a warning on the ``fetchplan.observe``
logger (default in production). In production mode only a counter runs (no call sites); in the
other modes the message lists the statements and their call sites.
"""

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

from fetchplan.observe import conf
from fetchplan.observe.hook import QueryRecord, observing
from fetchplan.observe.recorder import Recorder
from fetchplan.observe.wrapping import run_inside

logger = logging.getLogger("fetchplan.observe.budget")

_NOT_THE_CALLER = (os.path.dirname(__file__) + os.sep, contextlib.__file__)

BUDGET_EXCEEDED = "{function}() ran {count} queries, over its budget of {budget}."
INVALID_BUDGET = "A query budget must be an int >= 0 or have a budget() method, not {value!r}."


@runtime_checkable
class HasBudget(Protocol):
    """Anything that knows its query budget, such as a fetch plan."""

    def budget(self) -> int:
        """Return the number of queries running this thing may take."""
        ...


class QueryBudgetExceeded(Exception):
    """A function ran more queries than its declared budget."""


class QueryBudgetWarning(UserWarning):
    """A function ran more queries than its declared budget (mode ``"warn"``)."""


class _Counter:
    """The cheapest observer: counts statements, keeps nothing."""

    wants_call_site = False

    def __init__(self) -> None:
        self.count = 0

    def add(self, record: QueryRecord) -> None:
        """Count one statement."""
        self.count += 1


def _limit(source: int | HasBudget) -> int:
    # Typed callers cannot pass a bad budget; untyped ones (and plans) are checked at runtime.
    limit: object = source.budget() if isinstance(source, HasBudget) else source
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise TypeError(INVALID_BUDGET.format(value=source))
    return limit


def _message(function: str, count: int, limit: int, recorder: Recorder | None) -> str:
    message = BUDGET_EXCEEDED.format(function=function, count=count, budget=limit)
    if recorder is None:
        return message
    return f"{message}\n{recorder.report().table()}"


@contextmanager
def budget_block(source: int | HasBudget, *, function: str) -> Iterator[None]:
    """Count the statements of the block and act on the mode if there are more than the budget.

    Raises ``QueryBudgetExceeded`` in mode ``"raise"``; raises TypeError on a bad budget.
    """
    mode = conf.budget_mode()
    observer: Recorder | _Counter = Recorder() if mode != "log" else _Counter()
    with observing(observer):
        yield
    count = observer.count
    limit = _limit(source)
    if count <= limit:
        return
    recorder = observer if isinstance(observer, Recorder) else None
    message = _message(function, count, limit, recorder)
    if mode == "raise":
        raise QueryBudgetExceeded(message)
    if mode == "warn":
        warnings.warn(message, QueryBudgetWarning, stacklevel=_caller_stacklevel())
    else:
        logger.warning(message)


def _caller_stacklevel() -> int:
    """Return the ``stacklevel`` of the first frame outside this package and contextlib.

    ``warnings.warn(skip_file_prefixes=...)`` does not skip the ``contextlib`` frame that
    resumes a generator-based context manager (Python 3.13), so the frames are counted here.
    """
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_NOT_THE_CALLER):
        frame = frame.f_back
        level += 1
    return level


def query_budget[**P, R](source: int | HasBudget, /) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Return a decorator holding each call of the function to ``source`` queries.

    ``source`` is an int or an object with ``budget() -> int`` (asked at each call). The decorated
    function keeps its exact signature. Raises TypeError on a budget that is not an int >= 0.
    """
    if not isinstance(source, HasBudget):
        _limit(source)

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        name = func.__qualname__
        return run_inside(
            func, lambda: budget_block(source, function=name), decorator="query_budget"
        )

    return decorate
