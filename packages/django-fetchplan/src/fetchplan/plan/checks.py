"""System checks for plans: a broken plan is a ``manage.py check`` error, not a production bug.

Every registered plan (declared at import time, see :mod:`fetchplan.plan.registry`) is checked
when Django runs its checks (``manage.py check``, ``runserver``, ``migrate``, the test runner's
``check`` command). The rules are those of :mod:`fetchplan.plan.rules`; their ids and meanings
are listed in :mod:`fetchplan.plan.check_ids`. The same rules run again at every plan's first
compile (:mod:`fetchplan.plan.validate`), so a plan the checks never saw cannot run broken.
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks

from fetchplan.plan.check_ids import (
    BAD_MANY_QUERY,
    BAD_PATH,
    BAD_SOURCE,
    NESTED_EXPRESSION,
    NO_SOURCE,
    NOT_A_DTO,
    RELATION_NOT_LOADED,
    TYPE_MISMATCH,
    UNKNOWN_FIELD,
    WRONG_RELATION,
)
from fetchplan.plan.declare import Plan
from fetchplan.plan.registry import all_plans
from fetchplan.plan.rules import inspect_plan
from fetchplan.plan.validate import findings_of

__all__ = [
    "BAD_MANY_QUERY",
    "BAD_PATH",
    "BAD_SOURCE",
    "NESTED_EXPRESSION",
    "NOT_A_DTO",
    "NO_SOURCE",
    "RELATION_NOT_LOADED",
    "TYPE_MISMATCH",
    "UNKNOWN_FIELD",
    "WRONG_RELATION",
    "check_plan",
    "check_plans",
]


@checks.register("fetchplan")
def check_plans(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Run :func:`check_plan` over every registered plan; each problem is reported once."""
    errors: dict[tuple[object, ...], checks.CheckMessage] = {}
    for plan in all_plans():
        for error in check_plan(plan):
            errors.setdefault((error.id, error.msg, error.obj, error.hint), error)
    return list(errors.values())


def check_plan(plan: Plan[Any, Any], *, nested: bool = False) -> list[checks.CheckMessage]:
    """Return the problems of one plan and of the plans nested in it (empty if all sound)."""
    if nested:
        return inspect_plan(plan, nested=True).errors
    return list(findings_of(plan).errors)
