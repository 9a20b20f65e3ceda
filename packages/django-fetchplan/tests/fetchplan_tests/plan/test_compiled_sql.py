"""Compiled statements: the same DTOs as the normal path, and never a stale statement.

A plan's root query and its child queries by parent ids are compiled once per shape and run
with new parameters (``fetchplan.plan.compiled_sql``). These tests run each plan both ways on
the same data (hypothesis, on whichever database the suite runs: SQLite and PostgreSQL), and
change one thing at a time in a queryset to show no statement of another shape is reused.
"""

import gc
import weakref
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext
from fetchplan import DTO, Plan, fetch_all, fetch_first, fetch_one
from fetchplan.plan import compiled_sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fetchplan_tests.plan.test_equivalence import build, writer_st
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = pytest.mark.django_db

TEST_PLANS = [plan for plan in vars(plans).values() if isinstance(plan, Plan)]


def both_ways(plan: Plan[Any, Any], queryset: QuerySet[Any]) -> tuple[list[Any], list[Any]]:
    """Return ``fetch_all`` compiled (twice: the second reuses the statements) and normal."""
    fetch_all(plan, queryset)
    compiled = fetch_all(plan, queryset)
    with compiled_sql.disabled():
        normal = fetch_all(plan, queryset)
    return compiled, normal


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=5), st.integers(0, 4), st.integers(1, 6))
def test_compiled_statements_give_the_dtos_of_the_normal_path(
    writers: list[Any], offset: int, size: int
) -> None:
    """Catches: a dropped or converted-wrong column, a row lost or duplicated, parameters
    bound at the wrong place (another page, another parent's children), children reordered.
    """
    with transaction.atomic():
        build(writers)
        for plan in TEST_PLANS:
            manager = plan.model._default_manager
            for queryset in (
                manager.all(),  # children of every row: ALL_PARENTS
                manager.order_by("pk")[offset : offset + size],  # a page: children by ids
                manager.filter(pk__gte=offset).order_by("-pk")[:size],
            ):
                compiled, normal = both_ways(plan, queryset)
                assert compiled == normal, plan.label
        transaction.set_rollback(True)


def test_single_object_fetches_reuse_one_statement_per_level() -> None:
    """Catches: a statement compiled again for every call (the cache never hit), and a hit
    that binds the previous call's parameters (every fetch would return the first writer)."""
    make_library(writers=6)
    compiled_sql.clear()
    ids = list(Writer.objects.order_by("pk").values_list("pk", flat=True))
    cards = [fetch_one(plans.WRITER_CARD, Writer.objects.all(), pk=pk) for pk in ids]
    assert [card.id for card in cards] == ids
    with compiled_sql.disabled():
        assert cards == [fetch_one(plans.WRITER_CARD, Writer.objects.all(), pk=pk) for pk in ids]
    kinds = sorted(key[0] for key in compiled_sql._templates)
    # The root, the novels by id (1 parent), their chapters by ids (0 to 2 novels a writer).
    assert kinds.count("root") == 1
    assert 2 <= kinds.count("ids") <= 3


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.filter(in_print=True),
        lambda qs: qs.exclude(title__startswith="Novel 00001"),
        lambda qs: qs.order_by("-price", "pk"),
        lambda qs: qs.order_by("pk")[3:7],
        lambda qs: qs.order_by("pk")[:2],
        lambda qs: qs.annotate(n=Count("labels")).filter(n__gte=1),
        lambda qs: qs.filter(price__lt=20).filter(price__gte=5),
        lambda qs: qs.distinct(),
    ],
)
def test_a_changed_queryset_shape_never_reuses_stale_sql(change: Any) -> None:
    """Catches: a cache key that misses a filter, an exclusion, an ordering, a slice, an
    annotation or DISTINCT, so a new shape runs an old shape's statement."""
    make_library(writers=8)
    base = Novel.objects.filter(price__gte=1).order_by("pk")
    fetch_all(plans.NOVEL, base)  # compiles the base shape
    changed = change(base)
    with CaptureQueriesContext(connection) as captured:
        compiled = fetch_all(plans.NOVEL, changed)
    with compiled_sql.disabled(), CaptureQueriesContext(connection) as normal_queries:
        normal = fetch_all(plans.NOVEL, changed)
    assert compiled == normal
    assert [q["sql"] for q in captured.captured_queries] == [
        q["sql"] for q in normal_queries.captured_queries
    ]


def test_fetch_first_and_empty_results_run_the_same_statements() -> None:
    make_library(writers=3)
    assert fetch_first(plans.NOVEL, Novel.objects.filter(pk__in=[])) is None
    assert fetch_first(plans.NOVEL, Novel.objects.filter(title="no such novel")) is None
    first = fetch_first(plans.NOVEL, Novel.objects.order_by("-title"))
    with compiled_sql.disabled():
        assert first == fetch_first(plans.NOVEL, Novel.objects.order_by("-title"))


class WriterName(DTO):
    id: int
    name: str


class WriterBorn(DTO):
    id: int
    born: int | None


def test_a_plan_made_per_call_never_runs_another_plans_statement() -> None:
    """Catches: statements keyed by the ``id()`` of a plan's node without holding the node, so
    that a plan made inside a function, freed after its call, leaves its statement to the next
    plan whose node Python allocates at the same address (another DTO, other columns)."""
    make_library(writers=2)
    writer = Writer.objects.order_by("pk").first()
    assert writer is not None
    for turn in range(100):
        if turn % 2:
            named = fetch_one(Plan(Writer, WriterName), Writer.objects.all(), pk=writer.pk)
            assert named == WriterName(id=writer.pk, name=writer.name)
        else:
            born = fetch_one(Plan(Writer, WriterBorn), Writer.objects.all(), pk=writer.pk)
            assert born == WriterBorn(id=writer.pk, born=writer.born)
        gc.collect()  # free the turn's plan now, as a long-running process eventually does


def test_a_plan_made_per_call_is_freed_once_its_statements_leave_the_cache() -> None:
    """Catches: generated row builders (or anything else) cached for the life of the process,
    holding every plan a function ever made: memory that grows with each call."""
    make_library(writers=2)
    writer = Writer.objects.order_by("pk").first()
    assert writer is not None
    plan = Plan(Writer, WriterName)
    fetch_all(plan, Writer.objects.all())
    fetch_one(plan, Writer.objects.all(), pk=writer.pk)
    freed = weakref.ref(plan)
    del plan
    compiled_sql.clear()  # the statement cache is bounded (MAX_TEMPLATES), then cleared
    gc.collect()
    assert freed() is None
