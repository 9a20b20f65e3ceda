"""A limited level over one parent id runs a plain ``LIMIT``, not the per-parent window.

``Many(limit=n)`` over many parents needs ``ROW_NUMBER() OVER (PARTITION BY parent ...)``;
over one parent (a page: ``fetch_one`` of one writer, its two latest novels) the query is
``WHERE parent = %s ORDER BY ... LIMIT n`` (``querysets.one_parent``). These tests hold
that both forms return the same DTOs (hypothesis, on whichever database the suite runs), that
the one-parent statement has no window and has the limit, on the compiled path and the normal
one, and that ``explain()`` shows both forms as they run.
"""

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from fetchplan import Many, Plan, explain, fetch_all, fetch_one, require
from fetchplan.plan import compiled_sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fetchplan_tests.plan.test_equivalence import WriterSpec, build, writer_st
from fetchplan_tests.plan.test_explain import shape
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = pytest.mark.django_db


def limited_plans() -> list[Plan[Any, Any]]:
    """Return plans with a limit on each relation kind (made per call: never registered).

    Reverse foreign key (a writer's 2 latest novels, and their chapters below them),
    many-to-many through a model (a writer's first club by name), a self reference (one
    mentee), and a many-to-many scalar (a novel's 2 last label names).
    """
    return [
        plans.WRITER_CARD,
        plans.WRITER_CLUBS.with_relations(
            clubs=Many(plans.CLUB_REF, order_by=("name",), limit=1),
            mentees=Many(plans.WRITER_REF, order_by=("-name",), limit=1),
        ),
        plans.NOVEL_ROW.with_relations(labels=Many(scalar="name", order_by=("-name",), limit=2)),
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=5))
def test_one_parent_gives_the_dtos_the_window_gives(writers: list[WriterSpec]) -> None:
    """Each object fetched alone (LIMIT) equals the same object in a list of all (window).

    Catches: the limit dropped for one parent (a writer with 3 novels shows 3), applied
    before the ordering (other novels), the parent filter lost (another writer's novels),
    and a compiled statement bound with the previous call's id.
    """
    with transaction.atomic():
        build(writers)
        for plan in limited_plans():
            manager = plan.model._default_manager
            listed = {dto[0] if isinstance(dto, tuple) else dto.id: dto for dto in fetch_all(
                plan, manager.all()
            )}  # fmt: skip
            for pk, expected in listed.items():
                assert fetch_one(plan, manager.all(), pk=pk) == expected, plan.label
                with compiled_sql.disabled():
                    assert fetch_one(plan, manager.all(), pk=pk) == expected, plan.label
        transaction.set_rollback(True)


@pytest.mark.parametrize("compiled", [True, False])
def test_the_one_parent_statement_has_no_window_and_the_limit(compiled: bool) -> None:
    """Catches: the window kept for one parent, and the limit dropped from the statement."""
    make_library(writers=4, novels_per_writer=3)
    compiled_sql.clear()
    writer = Writer.objects.order_by("pk")[1]
    novels = connection.ops.quote_name(Novel._meta.db_table)
    for _ in range(2):  # the second call reuses the compiled statement
        with CaptureQueriesContext(connection) as captured:
            if compiled:
                card = fetch_one(plans.WRITER_CARD, Writer.objects.all(), pk=writer.pk)
            else:
                with compiled_sql.disabled():
                    card = fetch_one(plans.WRITER_CARD, Writer.objects.all(), pk=writer.pk)
        assert len(require(card.novels)) == 2
        (novel_query,) = [q["sql"] for q in captured if f"FROM {novels}" in q["sql"]]
        assert "ROW_NUMBER" not in novel_query
        assert novel_query.rstrip().endswith(("LIMIT 2", "LIMIT %s")), novel_query
        assert len(captured) == plans.WRITER_CARD.budget()
    one_id = [e for key, e in compiled_sql._templates.items() if key[0] == "ids" and key[3] == 1]
    # Compiled: the novels of one writer reuse a statement (its id proved bindable).
    assert any(template is not None for _, template in one_id) == compiled


def test_several_parents_still_use_the_window() -> None:
    """Catches: a plain LIMIT over several parents (it would cap them all together)."""
    make_library(writers=4, novels_per_writer=3)
    page = Writer.objects.order_by("pk")[:3]
    with CaptureQueriesContext(connection) as captured:
        cards = fetch_all(plans.WRITER_CARD, page)
    assert [len(require(card.novels)) for card in cards] == [2, 2, 2]
    assert sum("ROW_NUMBER" in q["sql"] for q in captured) == 1


def test_explain_shows_both_forms_as_they_run() -> None:
    """``sql`` is what several parents run, ``one_parent_sql`` what one parent runs.

    Catches: an explanation that shows the window for one parent (or the LIMIT for several),
    or whose one-parent form differs from the statement that runs.
    """
    make_library(writers=4, novels_per_writer=3)
    writer = Writer.objects.order_by("pk")[1]
    one = Writer.objects.filter(pk=writer.pk)[:2]  # what fetch_one runs
    several = Writer.objects.order_by("pk")[:3]
    explanation = explain(plans.WRITER_CARD, several)
    limited = [s for s in explanation.statements if s.one_parent_sql is not None]
    assert len(limited) == 1  # the novels; chapters and the root have no limit
    (novels,) = limited
    one_parent_sql = novels.one_parent_sql
    assert one_parent_sql is not None
    assert "ROW_NUMBER" in novels.sql
    assert "ROW_NUMBER" not in one_parent_sql
    assert one_parent_sql in str(explanation)
    for queryset, expected in ((several, novels.sql), (one, one_parent_sql)):
        with CaptureQueriesContext(connection) as captured:
            fetch_all(plans.WRITER_CARD, queryset)
        assert explanation.statements[1] is novels  # the root, then the novels: as they run
        assert shape(captured[1]["sql"]) == shape(expected)
