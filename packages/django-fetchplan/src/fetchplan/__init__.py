"""django-fetchplan: typed fetch plans for Django, frozen DTOs in a fixed number of queries.

The public API, importable from here::

    from fetchplan import Plan, One, Many, fetch_all, fetch_one, NotFound, DTO, NotLoaded
    from fetchplan import afetch_all, afetch_one, astream  # async twins of the run functions

Names load on first use (PEP 562), so ``import fetchplan.dto`` (the DTO base) imports no Django
module: DTO modules stay readable, testable and type-checkable without settings.
"""

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from fetchplan.dto import DTO, NotLoaded, RelationNotLoaded, is_loaded, require
    from fetchplan.plan.arun import acount, aexists, afetch_all, afetch_first, afetch_one, astream
    from fetchplan.plan.csv_export import ExportUnsupported, export_csv
    from fetchplan.plan.declare import Load, Many, One, Plan, Source, Strategy
    from fetchplan.plan.errors import MultipleFound, NotFound, PlanError
    from fetchplan.plan.explain import Explanation, explain
    from fetchplan.plan.run import count, exists, fetch_all, fetch_first, fetch_one, stream

# Public name -> the module that defines it.
_EXPORTS = {
    "DTO": "fetchplan.dto",
    "NotLoaded": "fetchplan.dto",
    "RelationNotLoaded": "fetchplan.dto",
    "is_loaded": "fetchplan.dto",
    "require": "fetchplan.dto",
    "Load": "fetchplan.plan.declare",
    "Many": "fetchplan.plan.declare",
    "One": "fetchplan.plan.declare",
    "Plan": "fetchplan.plan.declare",
    "Source": "fetchplan.plan.declare",
    "Strategy": "fetchplan.plan.declare",
    "ExportUnsupported": "fetchplan.plan.csv_export",
    "export_csv": "fetchplan.plan.csv_export",
    "MultipleFound": "fetchplan.plan.errors",
    "NotFound": "fetchplan.plan.errors",
    "PlanError": "fetchplan.plan.errors",
    "Explanation": "fetchplan.plan.explain",
    "explain": "fetchplan.plan.explain",
    "acount": "fetchplan.plan.arun",
    "aexists": "fetchplan.plan.arun",
    "afetch_all": "fetchplan.plan.arun",
    "afetch_first": "fetchplan.plan.arun",
    "afetch_one": "fetchplan.plan.arun",
    "astream": "fetchplan.plan.arun",
    "count": "fetchplan.plan.run",
    "exists": "fetchplan.plan.run",
    "fetch_all": "fetchplan.plan.run",
    "fetch_first": "fetchplan.plan.run",
    "fetch_one": "fetchplan.plan.run",
    "stream": "fetchplan.plan.run",
}

__all__ = [
    "DTO",
    "Explanation",
    "ExportUnsupported",
    "Load",
    "Many",
    "MultipleFound",
    "NotFound",
    "NotLoaded",
    "One",
    "Plan",
    "PlanError",
    "RelationNotLoaded",
    "Source",
    "Strategy",
    "acount",
    "aexists",
    "afetch_all",
    "afetch_first",
    "afetch_one",
    "astream",
    "count",
    "exists",
    "explain",
    "export_csv",
    "fetch_all",
    "fetch_first",
    "fetch_one",
    "is_loaded",
    "require",
    "stream",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fetchplan' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
