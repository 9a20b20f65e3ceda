"""Raw builders: DTOs built from a compiled root statement's fetched rows as they are converted.

``fetchplan.plan.raw_builders`` writes each column's conversion into the DTO's generated dict
literal or tuple; with :func:`raw_builders.disabled` the rows are converted first and built
by ``column_builders``. These tests compare both on the same data, deeply (types, field
order, pydantic's slots, identity), and check where the raw builders run and where not.
"""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from fetchplan import fetch_all, stream
from fetchplan.plan import compiled_sql, raw_builders
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fetchplan_tests.plan.test_column_builders import (
    NOVEL_WITH_WRITER,
    PLANS,
    WRITER_ROW,
    assert_same_both_ways,
)
from fetchplan_tests.plan.test_equivalence import build, writer_st
from fetchplan_tests.plan.test_fast_converters import replaced_here
from fetchplan_tests.testapp import models, plans
from fetchplan_tests.testapp.factory import make_library

pytestmark = pytest.mark.django_db


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=5), st.integers(0, 3), st.integers(1, 4))
def test_raw_builders_give_the_dtos_of_converted_rows(
    writers: list[Any], skip: int, chunk_size: int
) -> None:
    """Each plan over an ordered and a filtered queryset, both ways, from ``fetch_all`` and
    from ``stream()`` in chunks.

    Catches: a conversion left out (a SQLite price as a float, an int for a bool), a column
    shifted, fields in another order, a row dropped, children of another parent, the
    NotLoaded marker in the wrong field, identity lost (or invented)."""
    with transaction.atomic():
        build(writers)
        for plan in PLANS:
            ordered = plan.model._default_manager.order_by("pk")
            for queryset in (ordered, ordered.filter(pk__gt=skip)):
                assert_same_both_ways(
                    lambda: fetch_all(plan, queryset),  # noqa: B023
                    plan.label,
                    raw_builders.disabled,
                )
                assert_same_both_ways(
                    lambda: stream(plan, queryset, chunk_size=chunk_size),  # noqa: B023
                    plan.label,
                    raw_builders.disabled,
                )
        transaction.set_rollback(True)


def test_they_run_where_they_apply_and_nowhere_else(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catches: ``applies()`` false everywhere (the comparison above would compare the
    converted path with itself), and true for a node with a nested to-one DTO."""
    calls: list[str] = []
    real = raw_builders.build

    def spy(node: Any, *rest: Any) -> list[Any]:
        calls.append(node.plan.dto.__name__)
        return real(node, *rest)

    monkeypatch.setattr(raw_builders, "build", spy)
    make_library(writers=3)
    novels = models.Novel.objects.order_by("pk")
    assert len(fetch_all(WRITER_ROW, models.Writer.objects.order_by("pk"))) == 3
    assert len(fetch_all(plans.NOVEL_ROW, novels)) == novels.count()
    assert calls == ["WriterRow", "NovelRow"]  # a NamedTuple, a pydantic DTO with a Many
    calls.clear()
    assert len(list(stream(WRITER_ROW, models.Writer.objects.order_by("pk"), chunk_size=2))) == 3
    expected_chunks = ["WriterRow", "WriterRow"]
    if connection.vendor == "mysql":  # keyset chunks: rows converted by values_list()
        expected_chunks = []
    assert calls == expected_chunks
    calls.clear()
    fetch_all(NOVEL_WITH_WRITER, novels)  # a nested to-one DTO: rows converted first
    fetch_all(plans.NOVEL, novels)
    with raw_builders.disabled():
        fetch_all(plans.NOVEL_ROW, novels)
    with compiled_sql.disabled():  # no compiled statement, no fetched rows to build from
        fetch_all(plans.NOVEL_ROW, novels)
    assert calls == []


def test_sqlite_prices_are_converted_inline_once_per_value() -> None:
    """On SQLite (Django 6), the price's inline conversion runs inside the raw builder: a
    ``Decimal`` of the field's places, one object for a repeated value within a fetch, a new
    one in the next fetch. Catches: the raw builder reading the fetched float as it is."""
    if not replaced_here():
        pytest.skip("SQLite's Decimal converter under Django 6 only")
    make_library(writers=2)
    models.Novel.objects.update(price=Decimal("12.50"))
    novels = models.Novel.objects.order_by("pk")
    first = [novel.price for novel in fetch_all(plans.NOVEL_BARE, novels)]
    again = [novel.price for novel in fetch_all(plans.NOVEL_BARE, novels)]
    assert len(first) > 1
    assert all(type(price) is Decimal and str(price) == "12.50" for price in first + again)
    assert len({id(price) for price in first}) == 1
    assert first[0] is not again[0]
    assert connection.vendor == "sqlite"
