"""Read this package's settings, each with a default that depends on where the code runs.

- ``FETCHPLAN_QUERY_BUDGET_MODE``: ``"raise"``, ``"warn"`` or ``"log"``; default ``"raise"`` in
  DEBUG and under tests, else ``"log"``.
- ``FETCHPLAN_QUERY_MIDDLEWARE``: run ``QueryMiddleware``; default ``settings.DEBUG``.
- ``FETCHPLAN_N_PLUS_ONE_THRESHOLD``: an int >= 2; default 3.
- ``FETCHPLAN_RENDER_WITHOUT_QUERIES``: render in a no-query zone; default on in DEBUG and tests.

Settings are read on each use (not cached at import), so ``override_settings`` works in tests.
"""

from typing import Literal

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

type BudgetMode = Literal["raise", "warn", "log"]
BUDGET_MODES: tuple[BudgetMode, ...] = ("raise", "warn", "log")
DEFAULT_N_PLUS_ONE_THRESHOLD = 3

INVALID_BUDGET_MODE = "FETCHPLAN_QUERY_BUDGET_MODE must be one of {choices}, not {value!r}."
INVALID_THRESHOLD = "FETCHPLAN_N_PLUS_ONE_THRESHOLD must be an integer >= 2, not {value!r}."


def under_tests() -> bool:
    """Return True while Django's test environment is set up (Django's runner, pytest-django).

    ``setup_test_environment()`` installs ``django.core.mail.outbox``; nothing else does.
    """
    return hasattr(mail, "outbox")


def strict_by_default() -> bool:
    """Return True in DEBUG and under tests: where a broken rule should fail loudly."""
    return bool(settings.DEBUG) or under_tests()


def budget_mode() -> BudgetMode:
    """Return what exceeding a query budget does; raises ImproperlyConfigured on a bad value."""
    value = getattr(settings, "FETCHPLAN_QUERY_BUDGET_MODE", None)
    if value is None:
        return "raise" if strict_by_default() else "log"
    for mode in BUDGET_MODES:
        if value == mode:
            return mode
    raise ImproperlyConfigured(INVALID_BUDGET_MODE.format(choices=BUDGET_MODES, value=value))


def middleware_enabled() -> bool:
    """Return True when the query middleware should run (DEBUG, or enabled explicitly)."""
    return bool(getattr(settings, "FETCHPLAN_QUERY_MIDDLEWARE", settings.DEBUG))


def render_without_queries_enabled() -> bool:
    """Return True when template rendering should run inside a no-query zone."""
    return bool(getattr(settings, "FETCHPLAN_RENDER_WITHOUT_QUERIES", strict_by_default()))


def n_plus_one_threshold() -> int:
    """Return how often one shape from one line counts as N+1; raises on a bad setting."""
    value = getattr(settings, "FETCHPLAN_N_PLUS_ONE_THRESHOLD", DEFAULT_N_PLUS_ONE_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise ImproperlyConfigured(INVALID_THRESHOLD.format(value=value))
    return value
