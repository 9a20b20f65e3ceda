"""See and forbid queries: a recorder, no-query zones, query budgets, and the tools on top.

Public API (each name's module documents it):

- ``record_queries()`` -> ``Recorder``; ``recorder.report()`` -> ``QueryReport`` (``recorder``)
- ``no_queries()`` / ``@no_queries``, ``allow_queries(reason=...)``, ``QueriesForbidden``
  (``zones``)
- ``@query_budget(n | plan)``, ``HasBudget``, ``QueryBudgetExceeded``, ``QueryBudgetWarning``
  (``budget``)
- ``render_without_queries()`` (``render``); ``QueryMiddleware`` (``middleware``)
- ``carry_context(func)``: extend the active tools to a thread's target (``hook``)
- pytest fixtures in ``fetchplan.observe.pytest_plugin``; ``manage.py shell --print-sql``

Every tool is generic: nothing here names a model of any app.
"""

from fetchplan.observe.budget import (
    HasBudget,
    QueryBudgetExceeded,
    QueryBudgetWarning,
    query_budget,
)
from fetchplan.observe.callsite import CallSite
from fetchplan.observe.hook import QueryRecord, carry_context
from fetchplan.observe.recorder import Recorder, record_queries
from fetchplan.observe.render import render_without_queries
from fetchplan.observe.report import QueryReport
from fetchplan.observe.zones import QueriesForbidden, QueryZone, allow_queries, no_queries

__all__ = [
    "CallSite",
    "HasBudget",
    "QueriesForbidden",
    "QueryBudgetExceeded",
    "QueryBudgetWarning",
    "QueryRecord",
    "QueryReport",
    "QueryZone",
    "Recorder",
    "allow_queries",
    "carry_context",
    "no_queries",
    "query_budget",
    "record_queries",
    "render_without_queries",
]
