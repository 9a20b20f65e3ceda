"""What differs between the supported Django versions (5.2 LTS and 6.1), in one place.

Django 6.1 added fetch modes (``QuerySet.fetch_mode()``, ``FETCH_RAISE``): a lazy load of a
relation or a deferred field on an instance of such a queryset raises ``FieldFetchBlocked``
instead of querying. Django 5.2 has none; there the instances strategy relies on its no-query
guard alone (see :mod:`fetchplan.plan.guard`), which runs on both versions.
"""

from typing import Any

from django.core import exceptions
from django.db.models import QuerySet

HAS_FETCH_MODES = hasattr(QuerySet, "fetch_mode")
"""True on Django versions with ``QuerySet.fetch_mode()`` (6.1 and later)."""

FETCH_BLOCKED_ERRORS: tuple[type[Exception], ...] = tuple(
    error for error in [getattr(exceptions, "FieldFetchBlocked", None)] if error is not None
)
"""What Django raises on a lazy load that ``FETCH_RAISE`` refused (empty before 6.1)."""


def raise_on_lazy_fetch[Q: QuerySet[Any, Any]](queryset: Q) -> Q:
    """Return ``queryset`` set to refuse lazy loads (``FETCH_RAISE``) where Django can.

    On Django without fetch modes, return it unchanged.
    """
    if not HAS_FETCH_MODES:
        return queryset
    from django.db.models import FETCH_RAISE

    refusing: Q = queryset.fetch_mode(FETCH_RAISE)
    return refusing
