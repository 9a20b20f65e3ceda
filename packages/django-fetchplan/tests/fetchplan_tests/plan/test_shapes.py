"""Shapes over several hops: ``Many(source="novels__labels", distinct=True)``.

"The distinct labels of a writer's novels": one query for that level, deduplicated by the
database, equal to a hand-written ``SELECT DISTINCT``.
"""

from collections import defaultdict

import pytest
from django.db import connection
from fetchplan import DTO, Many, Plan, Strategy, fetch_all
from fetchplan.plan.check_ids import WRONG_RELATION
from fetchplan.plan.checks import check_plan
from pytest_django import DjangoAssertNumQueries

from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Label, Novel, Writer

pytestmark = pytest.mark.django_db


class WriterLabels(DTO):
    id: int
    name: str
    labels: tuple[str, ...]


class LabelRef(DTO):
    id: int
    name: str


class WriterLabelRefs(DTO):
    id: int
    labels: tuple[LabelRef, ...]


DISTINCT_LABELS = Plan(
    Writer,
    WriterLabels,
    relations={
        "labels": Many(scalar="name", source="novels__labels", distinct=True, order_by=("name",))
    },
)


def hand_written_distinct() -> dict[int, tuple[str, ...]]:
    """The same answer in plain SQL: SELECT DISTINCT over novel -> novel_labels -> label."""
    tables = (Label._meta.db_table, Novel.labels.through._meta.db_table, Novel._meta.db_table)
    assert tables == ("testapp_label", "testapp_novel_labels", "testapp_novel")
    sql = (
        "SELECT DISTINCT n.writer_id, l.name FROM testapp_label l "
        "JOIN testapp_novel_labels nl ON nl.label_id = l.id "
        "JOIN testapp_novel n ON n.id = nl.novel_id "
        "ORDER BY n.writer_id, l.name"
    )
    by_writer: dict[int, list[str]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for writer_id, name in cursor.fetchall():
            by_writer[writer_id].append(name)
    return {writer: tuple(names) for writer, names in by_writer.items()}


def test_distinct_over_two_hops_is_one_query_equal_to_sql_distinct(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    make_library(writers=8, novels_per_writer=4)
    expected = hand_written_distinct()
    assert any(len(names) > 1 for names in expected.values())
    with django_assert_num_queries(2):  # the writers, then every writer's labels at once
        writers = fetch_all(DISTINCT_LABELS, Writer.objects.order_by("pk"))
    assert {w.id: w.labels for w in writers} == {w.id: expected.get(w.id, ()) for w in writers}
    assert all(len(set(w.labels)) == len(w.labels) for w in writers)


def test_without_distinct_a_label_comes_once_per_novel() -> None:
    make_library(writers=8, novels_per_writer=4)
    repeated = Plan(
        Writer, WriterLabels, relations={"labels": Many(scalar="name", source="novels__labels")}
    )
    writers = fetch_all(repeated, Writer.objects.order_by("pk"))
    deduplicated = fetch_all(DISTINCT_LABELS, Writer.objects.order_by("pk"))
    assert sum(map(len, (w.labels for w in writers))) >= sum(
        map(len, (w.labels for w in deduplicated))
    )
    assert [sorted(set(w.labels)) for w in writers] == [list(w.labels) for w in deduplicated]


def test_nested_dtos_over_two_hops(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    make_library(writers=5)
    plan = Plan(
        Writer,
        WriterLabelRefs,
        relations={"labels": Many(source="novels__labels", distinct=True, order_by=("name",))},
    )
    expected = hand_written_distinct()
    with django_assert_num_queries(2):
        writers = fetch_all(plan, Writer.objects.order_by("pk"))
    assert {w.id: tuple(label.name for label in w.labels) for w in writers} == {
        w.id: expected.get(w.id, ()) for w in writers
    }


def test_what_a_path_over_several_hops_cannot_do_is_reported() -> None:
    with_limit = Plan(
        Writer,
        WriterLabels,
        relations={"labels": Many(scalar="name", source="novels__labels", limit=2)},  # type: ignore[plan-relation]
    )
    instances = DISTINCT_LABELS.with_strategy(Strategy.INSTANCES)
    misspelt = Plan(
        Writer,
        WriterLabels,
        relations={"labels": Many(scalar="name", source="novels__lables")},  # type: ignore[plan-path]
    )
    assert [p.id for p in check_plan(with_limit)] == [WRONG_RELATION]
    assert [p.id for p in check_plan(instances)] == [WRONG_RELATION]
    assert "Novel has no relation 'lables'" in check_plan(misspelt)[0].msg
