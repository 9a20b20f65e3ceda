"""Test helpers for what differs between Django 5.2 and 6.1."""

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from fetchplan.compat import HAS_FETCH_MODES

needs_fetch_modes = pytest.mark.skipif(
    not HAS_FETCH_MODES, reason="QuerySet.fetch_mode() is new in Django 6.1"
)


def lazy[Q: QuerySet[Any, Any]](queryset: Q) -> Q:
    """Return ``queryset`` loading relations lazily, one query per instance (N+1 on purpose).

    Django 6.1 spells it ``fetch_mode(FETCH_ONE)`` (its default too, unless a project changed
    it); Django 5.2 has no fetch modes and always loads that way.
    """
    if not HAS_FETCH_MODES:
        return queryset
    from django.db.models import FETCH_ONE

    one_by_one: Q = queryset.fetch_mode(FETCH_ONE)
    return one_by_one


def qn(name: str) -> str:
    """Return ``name`` quoted as the default database quotes it (double quotes, or backticks)."""
    return connection.ops.quote_name(name)
