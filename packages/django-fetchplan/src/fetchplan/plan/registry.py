"""Every plan registers itself here when created, for system checks and ``manage.py plans``.

Held weakly: a plan built inside a function (a test, a derived ``with_strategy`` plan) leaves
the registry when it is garbage collected; module-level plans live as long as their module.
"""

import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fetchplan.plan.declare import Plan

_plans: "weakref.WeakSet[Plan[Any, Any]]" = weakref.WeakSet()


def register(plan: "Plan[Any, Any]") -> None:
    """Add ``plan`` to the registry."""
    _plans.add(plan)


def all_plans() -> "list[Plan[Any, Any]]":
    """Return every live plan, sorted by name then declaration site."""
    return sorted(_plans, key=lambda plan: (plan.name, plan.declared_at))
