"""Every misuse of the engine is answered with a check id or a PlanError naming the plan.

Before, each of these failed somewhere else: a ``FieldError`` at fetch time that named no plan,
a ``TypeError`` traceback in ``manage.py check``, an ``AttributeError`` from Django's
internals, a bare ``AssertionError``. Nothing here may raise anything but ``PlanError`` (or
report anything but a check message).
"""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import models
from django.db.models import F, Q
from fetchplan import Many, One, Plan, PlanError, fetch_all
from fetchplan.dto import DTO, NotLoaded
from fetchplan.plan.check_ids import (
    BAD_MANY_QUERY,
    BAD_PATH,
    BAD_SOURCE,
    NOT_A_DTO,
    RELATION_NOT_LOADED,
    WRONG_RELATION,
)
from fetchplan.plan.checks import check_plan
from fetchplan.plan.errors import BAD_FILTER, BAD_LIMIT, BAD_MAPPING, BAD_ORDER_BY
from fetchplan.plan.registry import register, unregister

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import ChapterDTO, ProfileBio, WriterRef, WriterWithProfile
from fetchplan_tests.testapp.models import Novel, Profile, Writer


def ids(plan: Plan[Any, Any]) -> list[str]:
    return [message.id or "" for message in check_plan(plan)]


class WithChapters(DTO):
    id: int
    chapters: tuple[ChapterDTO, ...]


class TitleOnly(DTO):
    id: int
    title: str


# -- Many(order_by=..., filter=...) -----------------------------------------------------------


@pytest.mark.parametrize(
    "relation",
    [
        Many(plans.CHAPTER, order_by=("-nubmer",)),
        Many(plans.CHAPTER, order_by=("novel__nope",)),
        Many(plans.CHAPTER, order_by=("nubmer",), limit=2),
        Many(plans.CHAPTER, filter=Q(wrds__gte=1000)),
        Many(plans.CHAPTER, filter=Q(words__nolookup=3)),
        Many(plans.CHAPTER, filter=Q(words="many")),
    ],
)
@pytest.mark.django_db
def test_many_filter_and_order_by_are_checked(relation: Many) -> None:
    plan = Plan(Novel, WithChapters, relations={"chapters": relation})
    errors = check_plan(plan)
    assert [error.id for error in errors] == [BAD_MANY_QUERY]
    assert "Many() filling WithChapters.chapters filters or orders Chapter rows" in errors[0].msg
    with pytest.raises(PlanError, match=BAD_MANY_QUERY) as raised:  # not Django's FieldError
        fetch_all(plan, Novel.objects.all())
    assert plan.label in str(raised.value)


def test_sound_many_filter_and_order_by_pass() -> None:
    relation = Many(plans.CHAPTER, filter=Q(words__gte=10), order_by=("-number", "pk"), limit=2)
    assert check_plan(Plan(Novel, WithChapters, relations={"chapters": relation})) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Many(plans.CHAPTER, order_by="number"), BAD_ORDER_BY.format(order_by="number")),  # type: ignore[arg-type]  # the misuse under test
        (lambda: Many(plans.CHAPTER, order_by=(F("number"),)), "takes a tuple of field names"),  # type: ignore[arg-type]  # the misuse under test
        (lambda: Many(plans.CHAPTER, filter={"words__gte": 1}), BAD_FILTER.format(got="dict")),  # type: ignore[arg-type]  # the misuse under test
        (lambda: Many(plans.CHAPTER, limit="5"), BAD_LIMIT.format(limit="5")),  # type: ignore[arg-type]  # the misuse under test
        (lambda: Many(plans.CHAPTER, limit=True), BAD_LIMIT.format(limit=True)),
        (lambda: Many(plans.CHAPTER, limit=0), BAD_LIMIT.format(limit=0)),
    ],
)
def test_malformed_many_is_refused_where_it_is_declared(make: Any, message: str) -> None:
    with pytest.raises(PlanError) as raised:
        make()
    assert message in str(raised.value)


def test_many_order_by_as_a_list_is_kept_as_a_tuple() -> None:
    relation = Many(plans.CHAPTER, order_by=["-number"])  # type: ignore[arg-type]  # the misuse under test
    assert relation.order_by == ("-number",)
    assert hash(relation)


# -- the plan's classes, and its fields= / relations= values ----------------------------------


class Abstract(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        abstract = True
        app_label = "testapp"


@pytest.mark.parametrize(
    ("model", "dto", "problem"),
    [
        (Novel, dict, "its DTO <class 'dict'> is neither a pydantic model nor a NamedTuple"),
        (Novel, TitleOnly(id=1, title="x"), "is neither a pydantic model"),
        ("Novel", TitleOnly, "its model 'Novel' is not a Django model class"),
        (Abstract, TitleOnly, "its model Abstract is abstract (it has no table)"),
    ],
)
def test_a_plan_of_something_else_than_a_model_and_a_dto(
    model: Any, dto: Any, problem: str
) -> None:
    plan = Plan(model, dto)
    assert repr(plan).startswith("<Plan '")
    errors = check_plan(plan)
    assert [error.id for error in errors] == [NOT_A_DTO]
    assert problem in errors[0].msg
    with pytest.raises(PlanError, match=NOT_A_DTO):
        plan.budget()


def test_manage_py_check_reports_a_non_dto_class_instead_of_crashing() -> None:
    plan = Plan(Novel, dict, name="novel as dict")  # type: ignore[type-var]  # the misuse under test
    register(plan)
    try:
        with pytest.raises(SystemCheckError) as raised:
            call_command("check")
    finally:
        unregister(plan)
    assert NOT_A_DTO in str(raised.value)
    assert "'novel as dict'" in str(raised.value)


@pytest.mark.parametrize(
    ("fields", "relations", "expected"),
    [
        ({"title": 3}, {}, "fields['title'] is 3: neither a lookup path (str) nor an expression"),
        ({"title": F("title")}, {}, "neither a lookup path"),
        ({"title": Q(title="x")}, {}, "neither a lookup path"),
        ({"title": "title"}, {"title": One(plans.WRITER_REF)}, "'title' is both a field source"),
        ({}, {"title": plans.WRITER_REF}, "relations['title'] is <Plan"),
        ({}, {"title": One("writer")}, "relations['title'] holds 'writer' where a Plan belongs"),  # type: ignore[arg-type]  # the misuse under test
        ({}, {"title": Many(scalar=3)}, "has scalar=3; it takes a column path"),  # type: ignore[arg-type]  # the misuse under test
        ({}, {"title": One(plans.WRITER_REF, source=1)}, "has source=1"),  # type: ignore[arg-type]  # the misuse under test
    ],
)
def test_fields_and_relations_values_of_the_wrong_kind(
    fields: dict[str, Any], relations: dict[str, Any], expected: str
) -> None:
    plan = Plan(Novel, TitleOnly, fields=fields, relations=relations)
    errors = check_plan(plan)
    assert [error.id for error in errors] == [BAD_SOURCE]
    assert expected in errors[0].msg
    with pytest.raises(PlanError, match=BAD_SOURCE):  # was a bare AssertionError
        plan.budget()


def test_an_f_source_is_answered_with_the_path_to_write() -> None:
    (error,) = check_plan(Plan(Novel, TitleOnly, fields={"title": F("writer__name")}))  # type: ignore[dict-item]  # the misuse under test
    assert error.hint == "Write the path as a string: {'title': 'writer__name'}."


def test_one_on_a_column() -> None:
    class TitleRef(DTO):
        id: int
        title: WriterRef

    errors = check_plan(Plan(Novel, TitleRef, relations={"title": One(plans.WRITER_REF)}))
    assert [error.id for error in errors] == [WRONG_RELATION]
    assert "'title' is a column, not a relation" in errors[0].msg


def test_plan_arguments_of_the_wrong_shape_are_refused_where_declared() -> None:
    with pytest.raises(PlanError) as raised:
        Plan(Novel, TitleOnly, fields=("title",))  # type: ignore[arg-type]  # the misuse under test
    assert str(raised.value) == BAD_MAPPING.format(argument="fields", got="tuple")
    with pytest.raises(PlanError, match="must be one of 'values', 'instances', got 'fast'"):
        Plan(Novel, TitleOnly, strategy="fast")  # type: ignore[arg-type]  # the misuse under test
    with pytest.raises(PlanError, match="got 'fast'"):
        Plan(Novel, TitleOnly).with_strategy("fast")  # type: ignore[arg-type]  # the misuse under test


# -- reverse one-to-one -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reverse_one_to_one_typed_without_not_loaded_must_be_loaded() -> None:
    plan = Plan(Writer, WriterWithProfile)  # type: ignore[plan-relation]  # `profile: ProfileBio | None`, not loaded
    assert ids(plan) == [RELATION_NOT_LOADED]
    with pytest.raises(PlanError, match=RELATION_NOT_LOADED):  # was AttributeError
        fetch_all(plan, Writer.objects.all())

    class MayLackProfile(DTO):
        id: int
        name: str
        profile: ProfileBio | NotLoaded | None

    assert check_plan(Plan(Writer, MayLackProfile)) == []
    loaded = Plan(Writer, WriterWithProfile, relations={"profile": One(Plan(Profile, ProfileBio))})
    assert check_plan(loaded) == []


def test_a_path_ending_at_a_reverse_one_to_one() -> None:
    class Bio(DTO):
        id: int
        bio: str | None

    errors = check_plan(Plan(Writer, Bio, fields={"bio": "profile"}))
    assert [error.id for error in errors] == [BAD_PATH]
    assert "ends at the reverse relation 'profile'" in errors[0].msg
    assert "'profile__id'" in (errors[0].hint or "")
    assert check_plan(Plan(Writer, Bio, fields={"bio": "profile__bio"})) == []


# -- manage.py plans ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_manage_py_plans_lists_the_others_and_names_a_broken_plan() -> None:
    class Broken(DTO):
        id: int
        title: int

    broken = Plan(Novel, Broken, name="broken for plans")  # type: ignore[plan-type]
    register(broken)
    out, err = StringIO(), StringIO()
    try:
        with pytest.raises(CommandError, match=r"1 plan\(s\) cannot run"):
            call_command("plans", stdout=out, stderr=err)
    finally:
        unregister(broken)
    assert f"plan {plans.NOVEL.label}" in out.getvalue()
    assert "broken for plans" not in out.getvalue()
    assert f"Plan {broken.label} cannot run" in err.getvalue()
