"""``stream()`` over a compiled root statement: the DTOs of the normal path, chunk by chunk.

``stream()`` reads its root rows from the plan's compiled statement (``compiled_sql``) with
``fetchmany(chunk_size)`` on Django's chunked cursor when the queryset's shape qualifies. These
tests stream each test plan both ways on the same data (hypothesis; SQLite, PostgreSQL and
MariaDB, where a queryset ordered by primary key keeps its keyset chunks instead).
"""

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from fetchplan import Plan, fetch_all, stream
from fetchplan.plan import column_builders, compiled_sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fetchplan_tests.plan.test_column_builders import assert_same, assert_same_sharing
from fetchplan_tests.plan.test_equivalence import build, writer_st
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db

TEST_PLANS = [plan for plan in vars(plans).values() if isinstance(plan, Plan)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=5), st.integers(0, 3), st.integers(1, 4))
def test_compiled_stream_gives_the_dtos_of_the_normal_path(
    writers: list[Any], low: int, chunk_size: int
) -> None:
    """Catches: the last (partial) chunk dropped, a row lost or repeated at a chunk boundary,
    the filter's value bound at the wrong place, a column converted wrong; and, against the
    per-row builders on the normal path, a chunk's DTOs built wrong column-wise."""
    with transaction.atomic():
        build(writers)
        for plan in TEST_PLANS:
            queryset = plan.model._default_manager.filter(pk__gte=low).order_by("-pk")
            streamed = list(stream(plan, queryset, chunk_size=chunk_size))
            with compiled_sql.disabled():
                normal = list(stream(plan, queryset, chunk_size=chunk_size))
            assert streamed == normal, plan.label
            with compiled_sql.disabled(), column_builders.disabled():
                rowwise = list(stream(plan, queryset, chunk_size=chunk_size))
            assert_same(streamed, rowwise, plan.label)
            assert_same_sharing(streamed, rowwise)
            assert streamed == fetch_all(plan, queryset), plan.label
        transaction.set_rollback(True)


def test_stream_runs_the_compiled_statement_once_per_stream() -> None:
    """Catches: ``stream()`` not using the compiled statement (no root template is cached),
    and one root query per chunk instead of one cursor read ``chunk_size`` at a time."""
    make_library(writers=5)
    compiled_sql.clear()
    # A nullable order column: MySQL/MariaDB read it without keyset chunks (plan/keyset.py),
    # so the compiled statement is what runs on every backend.
    queryset = Writer.objects.order_by("born", "pk")
    with CaptureQueriesContext(connection) as captured:
        names = [writer.name for writer in stream(plans.WRITER_REF, queryset, chunk_size=2)]
    assert names == list(queryset.values_list("name", flat=True))
    assert len(captured) == 1  # WRITER_REF has no to-many relation: the root query only
    assert [key[0] for key in compiled_sql._templates] == ["root"]


def test_a_streamed_filter_change_never_reuses_stale_sql() -> None:
    """Catches: the previous stream's parameters bound again (a hit on a stale statement)."""
    make_library(writers=6)
    ids = list(Writer.objects.order_by("pk").values_list("pk", flat=True))
    for low in (ids[1], ids[4]):
        queryset = Writer.objects.filter(pk__gte=low).order_by("-name")
        assert [w.id for w in stream(plans.WRITER_REF, queryset, chunk_size=2)] == list(
            queryset.values_list("pk", flat=True)
        )
