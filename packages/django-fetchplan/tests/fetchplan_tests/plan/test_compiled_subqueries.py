"""Compiled child statements whose parents are a subquery of the caller's queryset.

An unsliced list of more than ``FEW_PARENTS`` rows selects each child level's parents with
``IN (SELECT ...)`` of the caller's queryset. ``compiled_sql`` compiles that statement once
per shape of the caller's query and binds the caller's WHERE parameters in the subquery on
each call. Here ``FEW_PARENTS`` is 0, so that every unsliced, filtered list takes that path
with a handful of rows; each plan runs compiled and on the normal path, on whichever database
the suite runs (SQLite, PostgreSQL, MariaDB).
"""

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext
from fetchplan import Many, Plan, fetch_all
from fetchplan.plan import compiled_sql, querysets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fetchplan_tests.plan.test_compiled_sql import TEST_PLANS, both_ways
from fetchplan_tests.plan.test_equivalence import build, writer_st
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_subquery() -> Iterator[None]:
    """Select the children of any number of parents by subquery (unsliced querysets)."""
    with mock.patch.object(querysets, "FEW_PARENTS", 0):
        compiled_sql.clear()
        yield


def subquery_templates() -> list[tuple[Any, ...]]:
    """Return the keys of the compiled child statements by subquery."""
    return [key for key in compiled_sql._templates if key[0] == "subquery"]


def run_and_capture(plan: Plan[Any, Any], queryset: QuerySet[Any]) -> tuple[list[Any], list[str]]:
    with CaptureQueriesContext(connection) as captured:
        dtos = fetch_all(plan, queryset)
    return dtos, [query["sql"] for query in captured.captured_queries]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=5), st.integers(0, 4))
def test_children_by_subquery_compiled_give_the_dtos_of_the_normal_path(
    writers: list[Any], offset: int
) -> None:
    """Catches: the caller's parameters bound at the wrong place in a child statement (the
    children of another parent set), a row lost or duplicated, children reordered."""
    with transaction.atomic(), mock.patch.object(querysets, "FEW_PARENTS", 0):
        build(writers)
        for plan in TEST_PLANS:
            manager = plan.model._default_manager
            first = manager.order_by("pk").values_list("pk", flat=True).first() or 0
            for queryset in (
                manager.filter(pk__gte=first + offset),
                manager.filter(pk__lt=first + offset, pk__gte=first).order_by("-pk"),
            ):
                compiled, normal = both_ways(plan, queryset)
                assert compiled == normal, plan.label
        transaction.set_rollback(True)


def test_each_call_binds_its_own_parameters_in_the_subquery(by_subquery: None) -> None:
    """Catches: a compiled child statement run with the parameters it was compiled with (the
    second list would get the first list's chapters and labels), and a statement compiled
    again on every call (the cache never hit)."""
    make_library(writers=8)
    cheap = Novel.objects.filter(price__lt=20)
    dearer = Novel.objects.filter(price__lt=40)
    first, first_sql = run_and_capture(plans.NOVEL, cheap)
    second, second_sql = run_and_capture(plans.NOVEL, dearer)
    assert len(subquery_templates()) == 2  # labels and chapters, compiled once each
    with compiled_sql.disabled():
        assert first == fetch_all(plans.NOVEL, cheap)
        normal, normal_sql = run_and_capture(plans.NOVEL, dearer)
    assert second == normal
    assert second_sql == normal_sql  # the statements Django runs (and explain() shows)
    assert first_sql == [sql.replace("40", "20") for sql in second_sql]
    added = {novel.id for novel in second} - {novel.id for novel in first}
    assert any(novel.chapters for novel in second if novel.id in added)
    assert any(novel.labels for novel in second if novel.id in added)


# Chapters filtered and limited per novel: the statement has parameters after the subquery's
# (the filter's, the window's limit), so binding the caller's at the end would be wrong.
LONG_CHAPTERS = plans.NOVEL.with_relations(
    chapters=Many(plans.CHAPTER, filter=Q(words__gte=1000), order_by=("-words",), limit=2)
)


@pytest.mark.parametrize(
    ("plan", "compiled_levels"),
    [
        (plans.WRITER_CLUBS, 2),  # clubs (many-to-many) and mentees (the writer table again)
        (plans.WRITER_CARD, 0),  # novels have chapters and labels: selected by their subquery
        (LONG_CHAPTERS, 2),  # labels and long chapters
    ],
)
def test_which_levels_are_compiled_and_that_they_run_the_normal_paths_statements(
    by_subquery: None, plan: Plan[Any, Any], compiled_levels: int
) -> None:
    """Catches: a level compiled whose children select their parents by a subquery of it
    (the compiled path has no queryset to pass on: they would go by ids, another statement
    and more queries), a subquery of the child's own table bound wrong, and the caller's
    parameters bound anywhere but in the subquery (before the child's filter and limit)."""
    make_library(writers=12)
    queryset: QuerySet[Any] = (
        Writer.objects.filter(name__gte="Writer 0-00002")
        if plan.model is Writer
        else Novel.objects.filter(price__gte=10, in_print=True)
    ).order_by("pk")
    fetch_all(plan, queryset)  # compiles
    compiled, compiled_run = run_and_capture(plan, queryset)
    with compiled_sql.disabled():
        normal, normal_run = run_and_capture(plan, queryset)
    assert compiled == normal
    assert compiled_run == normal_run
    assert len(subquery_templates()) == compiled_levels


def test_one_parent_proves_nothing_and_is_not_remembered(by_subquery: None) -> None:
    """Catches: a shape whose first call had one parent (too few ids to prove the slot with)
    left on the normal path for good."""
    make_library(writers=4)
    ids = list(Novel.objects.order_by("pk").values_list("pk", flat=True))
    only_one = fetch_all(plans.NOVEL, Novel.objects.filter(pk__lte=ids[0]))
    assert len(only_one) == 1
    assert subquery_templates() == []
    fetch_all(plans.NOVEL, Novel.objects.filter(pk__lte=ids[5]))
    assert len(subquery_templates()) == 2
