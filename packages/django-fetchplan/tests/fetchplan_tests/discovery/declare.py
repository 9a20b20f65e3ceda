"""One helper the discovery apps use to declare a plan under a name the tests look for."""

from typing import Any

from fetchplan import Plan

from fetchplan_tests.testapp.dtos import WriterRef
from fetchplan_tests.testapp.models import Writer


def writer_plan(name: str) -> Plan[Any, WriterRef]:
    """Return a sound plan named ``name`` (its module keeps it alive, so it stays registered)."""
    return Plan(Writer, WriterRef, name=name)
