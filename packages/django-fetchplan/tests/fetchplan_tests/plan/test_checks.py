"""Startup checks: every check id has a failing example, and the real plans pass."""

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.db.models import Avg, Count
from django.test.utils import isolate_apps
from fetchplan import Many, One, Plan
from fetchplan.dto import DTO, NotLoaded
from fetchplan.plan.checks import (
    BAD_MANY_QUERY,
    BAD_PATH,
    NESTED_EXPRESSION,
    NO_SOURCE,
    NOT_A_DTO,
    RELATION_NOT_LOADED,
    TYPE_MISMATCH,
    UNKNOWN_FIELD,
    WRONG_RELATION,
    check_plan,
    check_plans,
)
from fetchplan.plan.registry import register, unregister

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import ChapterDTO, WriterRef
from fetchplan_tests.testapp.models import Label, Novel, Remark, Writer


def ids(plan: Plan[Any, Any]) -> list[str]:
    return [message.id or "" for message in check_plan(plan)]


class TitleOnly(DTO):
    id: int
    title: str


def test_the_test_plans_and_the_registry_pass() -> None:
    assert check_plans() == []
    call_command("check")  # raises SystemCheckError on any error


def test_e001_field_without_source() -> None:
    class Orphan(DTO):
        id: int
        subtitle: str

    errors = check_plan(Plan(Novel, Orphan))
    assert [e.id for e in errors] == [NO_SOURCE]
    assert "Orphan.subtitle has no source" in errors[0].msg
    assert "fields=" in (errors[0].hint or "")


def test_e002_bad_paths() -> None:
    assert ids(Plan(Novel, TitleOnly, fields={"title": "writer__nickname"})) == [BAD_PATH]
    # A path through a to-many relation cannot be a column.
    assert ids(Plan(Novel, TitleOnly, fields={"title": "chapters__number"})) == [BAD_PATH]
    assert ids(Plan(Novel, TitleOnly, relations={"title": Many(scalar="x", source="nope")})) == [
        BAD_PATH
    ]


def test_e009_ordering_through_a_to_many_relation() -> None:
    """Catches: a Many() ordered across a to-many relation, which repeats each child once per
    related row (a writer's 3 novels came 6 times ordered by their labels' names)."""

    class WriterNovels(DTO):
        id: int
        novels: tuple[TitleOnly, ...]

    repeating = Plan(Writer, WriterNovels, relations={"novels": Many(order_by=("labels__name",))})  # type: ignore[plan-path]
    (error,) = check_plan(repeating)
    assert error.id == BAD_MANY_QUERY
    assert "goes through the to-many relation 'labels'" in error.msg
    to_one = Plan(Writer, WriterNovels, relations={"novels": Many(order_by=("-writer__name",))})
    assert check_plan(to_one) == []


def test_e002_generic_relations() -> None:
    """A generic relation (contenttypes) is refused, as a Many() and inside a path.

    Catches: following a GenericRelation as if it were a reverse foreign key (its reverse
    lookup can name another model's relation: the children of one model's rows were mixed
    with another's), and a path through a GenericForeignKey (an AttributeError at run time).
    """

    class Texts(DTO):
        id: int
        remarks: tuple[str, ...]

    class RemarkRow(DTO):
        text: str
        target_id: int

    generic = Plan(Label, Texts, relations={"remarks": Many(scalar="text")})  # type: ignore[plan-relation]
    (error,) = check_plan(generic)
    assert error.id == BAD_PATH
    assert "'remarks' is a GenericRelation, which plans cannot follow" in error.msg
    through_a_path = Plan(Remark, RemarkRow, fields={"target_id": "target__id"})  # type: ignore[plan-path]
    (error,) = check_plan(through_a_path)
    assert error.id == BAD_PATH
    assert "'target' is a GenericForeignKey, which plans cannot follow" in error.msg


@isolate_apps("fetchplan_tests.testapp")
def test_e008_composite_primary_keys() -> None:
    """A model with a composite primary key is refused, as a plan's model and as the related
    model of a ``Many(scalar=...)``.

    Catches: running such a plan, whose ``pk`` column expands to several columns and shifted
    every value after it (``label`` held a number, the next field the label), silently.
    """

    class Shelf(models.Model):  # noqa: DJ008 (never printed)
        name = models.CharField(max_length=50)

        class Meta:
            app_label = "testapp"

    class Slot(models.Model):  # noqa: DJ008 (never printed)
        pk = models.CompositePrimaryKey("shelf", "number")
        shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="slots")
        number = models.IntegerField()
        label = models.CharField(max_length=50)

        class Meta:
            app_label = "testapp"

    class SlotRow(DTO):
        number: int
        label: str

    class ShelfLabels(DTO):
        id: int
        labels: tuple[str, ...]

    (error,) = check_plan(Plan(Slot, SlotRow))
    assert error.id == NOT_A_DTO
    assert "its model Slot has a composite primary key" in error.msg
    scalar = Plan(Shelf, ShelfLabels, relations={"labels": Many(scalar="label", source="slots")})
    (error,) = check_plan(scalar)
    assert error.id == NOT_A_DTO
    assert "ShelfLabels.labels: Many(scalar=...): its model Slot has a composite" in error.msg


def test_e003_type_mismatches() -> None:
    class WrongTypes(DTO):
        id: int
        title: int  # a CharField
        price: float  # a DecimalField
        published: date

    errors = check_plan(Plan(Novel, WrongTypes))
    assert [e.id for e in errors] == [TYPE_MISMATCH, TYPE_MISMATCH]
    assert "holds str" in errors[0].msg
    assert "holds Decimal" in errors[1].msg


def test_e003_nullable_column_into_a_non_optional_field() -> None:
    class Born(DTO):
        id: int
        born: int  # nullable column
        country_name: str  # through a nullable FK

    plan = Plan(Writer, Born, fields={"country_name": "country__name"})  # type: ignore[plan-type]
    errors = check_plan(plan)
    assert [e.id for e in errors] == [TYPE_MISMATCH, TYPE_MISMATCH]
    assert all("can be NULL" in e.msg for e in errors)


def test_e003_aggregates_that_can_be_null_and_scalar_tuples() -> None:
    class Stats(DTO):
        id: int
        average: float  # Avg() of no rows is NULL
        chapters: int
        labels: tuple[int, ...]  # label names are str

    plan = Plan(
        Novel,
        Stats,
        fields={"average": Avg("chapters__words"), "chapters": Count("chapters")},
        relations={"labels": Many(scalar="name")},  # type: ignore[plan-type]
    )
    errors = check_plan(plan)
    assert [e.id for e in errors] == [TYPE_MISMATCH, TYPE_MISMATCH]
    assert "can be NULL" in errors[0].msg
    assert "holds str" in errors[1].msg


def test_e003_nullable_to_one_relation_into_a_non_optional_field() -> None:
    class WithMentor(DTO):
        id: int
        mentor: WriterRef

    errors = check_plan(Plan(Writer, WithMentor, relations={"mentor": One(plans.WRITER_REF)}))
    assert [e.id for e in errors] == [TYPE_MISMATCH]


def test_e004_relation_without_not_loaded_must_be_loaded() -> None:
    class NeedsWriter(DTO):
        id: int
        writer: WriterRef

    class MayLackWriter(DTO):
        id: int
        writer: WriterRef | NotLoaded

    errors = check_plan(Plan(Novel, NeedsWriter))
    assert [e.id for e in errors] == [RELATION_NOT_LOADED]
    assert "typed without NotLoaded" in errors[0].msg
    assert check_plan(Plan(Novel, MayLackWriter)) == []


def test_e005_plan_loads_something_the_dto_has_no_field_for() -> None:
    plan = Plan(
        Novel,
        TitleOnly,
        fields={"subtitle": "title"},  # type: ignore[plan-field]
        relations={"chapters": Many(plans.CHAPTER)},  # type: ignore[plan-field]
    )
    assert ids(plan) == [UNKNOWN_FIELD, UNKNOWN_FIELD]


def test_e006_wrong_relation_kinds_models_and_types() -> None:
    class Chapters(DTO):
        id: int
        chapters: tuple[ChapterDTO, ...]
        writer: WriterRef

    one_on_many = Plan(
        Novel,
        Chapters,
        relations={"chapters": One(plans.CHAPTER), "writer": One(plans.WRITER_REF)},  # type: ignore[plan-relation]
    )
    assert ids(one_on_many) == [WRONG_RELATION]
    wrong_model = Plan(
        Novel,
        Chapters,
        relations={"chapters": Many(plans.WRITER_REF), "writer": One(plans.WRITER_REF)},  # type: ignore[plan-relation]
    )
    assert ids(wrong_model) == [WRONG_RELATION]

    class NotATuple(DTO):
        id: int
        chapters: list[ChapterDTO]
        writer: WriterRef

    not_a_tuple = Plan(
        Novel,
        NotATuple,
        relations={"chapters": Many(plans.CHAPTER), "writer": One(plans.WRITER_REF)},  # type: ignore[plan-relation]
    )
    assert ids(not_a_tuple) == [WRONG_RELATION]


def test_e007_expression_in_a_nested_to_one_plan() -> None:
    class WriterStats(DTO):
        id: int
        novels: int

    class NovelWithStats(DTO):
        id: int
        writer: WriterStats

    nested = Plan(Writer, WriterStats, fields={"novels": Count("novels")})
    assert check_plan(nested) == []
    errors = check_plan(Plan(Novel, NovelWithStats, relations={"writer": One(nested)}))
    assert [e.id for e in errors] == [NESTED_EXPRESSION]


def test_manage_py_check_reports_a_broken_registered_plan() -> None:
    class Broken(DTO):
        id: int
        price: str

    # Made inside a function, the plan is not registered by itself (see plan.registry).
    broken = Plan(Novel, Broken, name="broken on purpose")  # type: ignore[plan-type]
    register(broken)
    try:
        with pytest.raises(SystemCheckError) as raised:
            call_command("check")
    finally:
        unregister(broken)
    assert "fetchplan.E003" in str(raised.value)
    assert "broken on purpose" in str(raised.value)
