"""Expressions in ``fields=`` are nullable unless proven otherwise (fetchplan.nullability).

Each row: an expression over Novel, and whether the check proves it never NULL. An expression
that can be NULL must go into a field that accepts None (fetchplan.E003); one proven non-null
may go into a plain field.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import Abs, Coalesce, Concat, Length, NullIf, Upper
from fetchplan import Plan, PlanError, fetch_all
from fetchplan.dto import DTO
from fetchplan.plan.check_ids import TYPE_MISMATCH
from fetchplan.plan.checks import check_plan
from pydantic import create_model

from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Chapter, Novel


class PlainInt(DTO):
    id: int
    value: int


class OptionalInt(DTO):
    id: int
    value: int | None


def dto_of(value_type: Any) -> Any:
    """Return a DTO class with one ``value`` field of type ``value_type`` (made at run time)."""
    return create_model("Holder", __base__=DTO, id=(int, ...), value=(value_type, ...))


FIRST_CHAPTER_WORDS = Subquery(
    Chapter.objects.filter(novel=OuterRef("pk")).order_by("number").values("words")[:1]
)
ALL = Novel.objects.order_by("pk")
CASE = ("expression", "value_type")
HAS_CHAPTERS = Exists(Chapter.objects.filter(novel=OuterRef("pk")))

NEVER_NULL = {
    "Count": (Count("chapters"), int),
    "Exists": (HAS_CHAPTERS, bool),
    "Value": (Value(3), int),
    "Concat over a nullable path": (Concat("title", "writer__country__name"), str),
    "Coalesce, last argument non-null": (Coalesce(FIRST_CHAPTER_WORDS, 0), int),
    "Coalesce, first argument non-null": (Coalesce("title", "writer__country__name"), str),
    "Case with a default": (Case(When(in_print=True, then=Value(1)), default=Value(0)), int),
    "Sum with a default": (Sum("chapters__words", default=0), int),
    "F of a non-null column": (ExpressionWrapper(F("title"), output_field=CharField()), str),
    "F through a non-null FK": (Upper("writer__name"), str),
    "arithmetic": (F("price") * 2 + 1, Decimal),
    "Length of a non-null column": (Length("title"), int),
}

CAN_BE_NULL = {
    "Subquery": (FIRST_CHAPTER_WORDS, int),
    "Case without a default": (Case(When(in_print=True, then=Value(1))), int),
    "Case with a NULL branch": (
        Case(When(in_print=True, then=Value(None)), default=Value(1)),
        int,
    ),
    "Value(None)": (Value(None, output_field=IntegerField()), int),
    "Coalesce, every argument nullable": (
        Coalesce(Max("chapters__words"), FIRST_CHAPTER_WORDS),
        int,
    ),
    "Avg": (Avg("chapters__words"), float),
    "Sum without a default": (Sum("chapters__words"), int),
    "F through a nullable FK": (Upper("writer__country__name"), str),
    "F through a to-many relation": (Abs("chapters__words"), int),
    "division": (F("price") / 2, Decimal),
    "a Func not known to keep NULL out": (NullIf("title", Value("")), str),
}


@pytest.mark.parametrize(CASE, NEVER_NULL.values(), ids=NEVER_NULL.keys())
def test_proven_non_null_expressions_fit_a_plain_field(expression: Any, value_type: Any) -> None:
    assert check_plan(Plan(Novel, dto_of(value_type), fields={"value": expression})) == []


@pytest.mark.django_db
@pytest.mark.parametrize(CASE, NEVER_NULL.values(), ids=NEVER_NULL.keys())
def test_proven_non_null_expressions_give_no_null_over_rows_with_gaps(
    expression: Any, value_type: Any
) -> None:
    make_library(writers=8)  # writers without a country, novels without chapters
    novels = fetch_all(Plan(Novel, dto_of(value_type), fields={"value": expression}), ALL)
    assert len(novels) == 24
    assert all(novel.value is not None for novel in novels)


@pytest.mark.parametrize(CASE, CAN_BE_NULL.values(), ids=CAN_BE_NULL.keys())
def test_nullable_expressions_need_an_optional_field(expression: Any, value_type: Any) -> None:
    errors = check_plan(Plan(Novel, dto_of(value_type), fields={"value": expression}))
    assert [error.id for error in errors] == [TYPE_MISMATCH]
    assert "can be NULL, the field does not accept None" in errors[0].msg
    assert "Coalesce(..., default)" in (errors[0].hint or "")
    optional = dto_of(value_type | None)
    assert check_plan(Plan(Novel, optional, fields={"value": expression})) == []


@pytest.mark.django_db
def test_a_null_from_a_subquery_never_lands_in_a_plain_int() -> None:
    make_library(writers=4)
    novels = Novel.objects.filter(chapters__isnull=True)
    assert novels.exists()
    with pytest.raises(PlanError, match="can be NULL"):
        fetch_all(Plan(Novel, PlainInt, fields={"value": FIRST_CHAPTER_WORDS}), novels)
    fetched = fetch_all(Plan(Novel, OptionalInt, fields={"value": FIRST_CHAPTER_WORDS}), novels)
    assert {novel.value for novel in fetched} == {None}
    zero = Coalesce(FIRST_CHAPTER_WORDS, 0)
    assert {n.value for n in fetch_all(Plan(Novel, PlainInt, fields={"value": zero}), novels)} == {
        0
    }


def test_expressions_still_have_their_type_checked() -> None:
    class Published(DTO):
        id: int
        value: date

    errors = check_plan(Plan(Novel, Published, fields={"value": Count("chapters")}))
    assert [error.id for error in errors] == [TYPE_MISMATCH]
    assert "holds int, the field is date" in errors[0].msg
    assert "Count(...)" in errors[0].msg


def test_a_filter_on_an_aggregate_keeps_count_non_null() -> None:
    count = Count("chapters", filter=Q(chapters__words__gte=1000))
    assert check_plan(Plan(Novel, PlainInt, fields={"value": count})) == []
