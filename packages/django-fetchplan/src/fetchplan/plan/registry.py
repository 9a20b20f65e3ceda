"""The plans the system checks and ``manage.py plans`` read: those declared at import time.

The rule: a plan created while a module is being imported (in the module's body, a class body
in it, or a function that body calls, such as ``GOOD = good_reviews_plan(4)``) is registered
and held for the life of the process. A plan created later (per request, inside a test, in the
shell: anything not under an import) is not registered at all, so such plans never pile up
and never leak from one test into another's ``manage.py check``. They are not unchecked: every
plan runs the same rules at its first compile (see :mod:`fetchplan.plan.validate`).

A module run as the program (``__main__``: ``manage.py``, ``python -m pytest``, a script) is
not "being imported": it is the bottom of every stack.

:func:`all_plans` lists plans sorted by name, then declaration site, then registration order,
so listings and check output are the same on every run.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fetchplan.plan.declare import Plan

# Insertion-ordered; plans compare by identity, so two equal-looking plans are both kept.
_plans: "dict[Plan[Any, Any], None]" = {}


def register(plan: "Plan[Any, Any]") -> None:
    """Add ``plan`` to the registry (done by ``Plan`` itself for plans made at import time)."""
    _plans[plan] = None


def unregister(plan: "Plan[Any, Any]") -> None:
    """Remove ``plan`` from the registry, if it is there (for tests that import bad plans)."""
    _plans.pop(plan, None)


def is_registered(plan: "Plan[Any, Any]") -> bool:
    """Return True if the system checks and ``manage.py plans`` see ``plan``."""
    return plan in _plans


def all_plans() -> "list[Plan[Any, Any]]":
    """Return every registered plan, sorted by name then declaration site."""
    return sorted(_plans, key=lambda plan: (plan.name, plan.declared_at))
