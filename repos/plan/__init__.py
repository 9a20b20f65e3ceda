"""The fetch-plan engine: declare what a DTO needs, run it in a fixed number of queries.

Generic: nothing here names a bookstore model. See README, "The fetch-plan engine".
"""

from repos.plan.declare import Many, One, Plan, Source, Strategy
from repos.plan.errors import MultipleFound, NotFound, PlanError
from repos.plan.run import count, exists, fetch_all, fetch_first, fetch_one, stream

__all__ = [
    "Many",
    "MultipleFound",
    "NotFound",
    "One",
    "Plan",
    "PlanError",
    "Source",
    "Strategy",
    "count",
    "exists",
    "fetch_all",
    "fetch_first",
    "fetch_one",
    "stream",
]
