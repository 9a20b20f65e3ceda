"""``export_csv()``: COPY on PostgreSQL and ``stream()`` elsewhere write the same bytes.

Each test runs on the suite's database; on PostgreSQL the hypothesis test compares the COPY
path with the ``stream()`` path (``use_copy=False``) byte for byte, on SQLite and MariaDB it
checks the ``stream()`` path alone. Both are also parsed back with Python's ``csv`` module,
so a quoting mistake shared by both paths still fails.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from fetchplan import DTO, ExportUnsupported, One, Plan, export_csv, fetch_all
from fetchplan.plan.csv_export import csv_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fetchplan_tests.plan.test_equivalence import build, writer_st
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import WriterRef
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Chapter, Novel

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


class NovelLine(DTO):
    id: int
    title: str
    price: Decimal
    published: date
    in_print: bool
    writer_name: str
    country_name: str | None


NOVEL_LINE = Plan(
    Novel,
    NovelLine,
    fields={"writer_name": "writer__name", "country_name": "writer__country__name"},
)


def exported(queryset: Any, *, use_copy: bool = True, chunk_size: int = 3) -> bytes:
    return b"".join(export_csv(NOVEL_LINE, queryset, use_copy=use_copy, chunk_size=chunk_size))


def cells(line: NovelLine) -> list[str]:
    """The text ``csv.reader`` must read back for ``line``."""
    return [
        str(line.id),
        line.title,
        format(line.price, "f"),
        line.published.isoformat(),
        "t" if line.in_print else "f",
        line.writer_name,
        "" if line.country_name is None else line.country_name,
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=4), st.integers(0, 6))
def test_copy_and_stream_write_the_same_csv(writers: list[Any], low: int) -> None:
    """Catches (COPY vs stream): a value formatted differently (``Decimal`` as ``1E+2``, a
    boolean as ``True``, NULL vs ``""``), a text not quoted or quotes not doubled, columns in
    another order, a row lost or repeated at a chunk boundary, the filter bound wrong."""
    with transaction.atomic():
        build(writers)
        queryset = Novel.objects.filter(pk__gte=low).order_by("-title", "pk")
        streamed = exported(queryset, use_copy=False)
        if POSTGRES:
            assert exported(queryset) == streamed
        lines = fetch_all(NOVEL_LINE, queryset)
        read = list(csv.reader(io.StringIO(streamed.decode(), newline="")))
        assert read == [list(NovelLine.model_fields), *map(cells, lines)]
        transaction.set_rollback(True)


@pytest.mark.parametrize("use_copy", [True, False])
def test_the_header_is_the_first_block_alone(use_copy: bool) -> None:
    """Catches: the header joined to the first rows (callers skip it by taking one block)."""
    make_library(writers=2)
    blocks = export_csv(NOVEL_LINE, Novel.objects.order_by("pk"), use_copy=use_copy)
    assert next(blocks) == csv_line(list(NovelLine.model_fields)).encode()
    assert b"".join(blocks).count(b"\n") == Novel.objects.count()


def test_nulls_empty_strings_and_specials_are_written_apart() -> None:
    """Catches: NULL and an empty string written alike, a line break or quote left bare."""
    assert csv_line([None, "", 'a "b"', "x,y", "1\n2", True, Decimal("1E+2")]) == (
        ',"","a ""b""","x,y","1\n2",t,100\n'
    )
    assert csv_line(["\\."]) == '"\\."\n'


@pytest.mark.skipif(not POSTGRES, reason="COPY is PostgreSQL's")
def test_copy_is_one_query_seen_by_recorders(assert_num_queries: Any) -> None:
    """Catches: the COPY hidden from execute_wrappers / the query log (a budget would not
    count it), and any extra query."""
    make_library(writers=3)
    queryset = Novel.objects.order_by("pk")
    with assert_num_queries(1), CaptureQueriesContext(connection) as captured:
        body = exported(queryset)
    assert len(captured) == 1
    assert captured[0]["sql"].startswith("COPY (SELECT")
    assert body.count(b"\n") == 1 + queryset.count()


class ChapterWritten(DTO):
    id: int
    written: datetime


class NovelWithWriter(DTO):
    id: int
    writer: WriterRef


@pytest.mark.parametrize(
    ("plan", "reason"),
    [
        (plans.NOVEL_ROW, "loads a Many()"),
        (
            Plan(Novel, NovelWithWriter, relations={"writer": One(plans.WRITER_REF)}),
            "has nested DTOs",
        ),
        (Plan(Chapter, ChapterWritten), "'written' is <class 'datetime.datetime'>"),
    ],
    ids=["many", "nested-one", "datetime"],
)
def test_plans_that_are_not_flat_are_refused_before_any_query(
    plan: Plan[Any, Any], reason: str
) -> None:
    """Catches: a nested or to-many DTO, or a datetime, written as some CSV text; a refusal
    that names another reason than the plan's."""
    with CaptureQueriesContext(connection) as captured, pytest.raises(ExportUnsupported) as no:
        export_csv(plan, plan.model._default_manager.all())
    assert reason in str(no.value)
    assert len(captured) == 0
