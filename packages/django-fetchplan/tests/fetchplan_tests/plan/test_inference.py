"""Say it once: ``One()`` / ``Many()`` without a plan infer it from the DTO and the model."""

import pytest
from fetchplan import Many, One, Plan, fetch_all
from fetchplan.plan.check_ids import NO_SOURCE, WRONG_RELATION
from fetchplan.plan.checks import check_plan
from fetchplan.plan.errors import PlanError
from fetchplan.plan.registry import all_plans
from pytest_django import DjangoAssertNumQueries

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import NovelDTO, WriterCard, WriterClubs
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db

# The same plan as plans.WRITER_CLUBS, each fact said once.
INFERRED = Plan(
    Writer,
    WriterClubs,
    relations={"clubs": Many(order_by=("name",)), "mentor": One(), "mentees": Many()},
)


def test_inferred_plans_load_what_the_explicit_ones_load(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    make_library(writers=6)
    assert INFERRED.budget() == plans.WRITER_CLUBS.budget() == 3
    explicit = fetch_all(plans.WRITER_CLUBS, Writer.objects.order_by("pk"))
    with django_assert_num_queries(3):
        inferred = fetch_all(INFERRED, Writer.objects.order_by("pk"))
    assert inferred == explicit
    assert any(writer.clubs for writer in inferred)
    assert any(writer.mentor is not None for writer in inferred)


def test_the_inferred_nested_plan_is_the_related_model_and_the_element_dto() -> None:
    INFERRED.budget()
    mentees = INFERRED.relations["mentees"]
    assert isinstance(mentees, Many)
    assert mentees.plan is not None
    assert (mentees.plan.model, mentees.plan.dto.__name__) == (Writer, "WriterRef")
    assert mentees.plan not in all_plans()  # part of its plan, not a plan of its own


def test_per_parent_options_survive_inference() -> None:
    INFERRED.budget()
    clubs = INFERRED.relations["clubs"]
    assert isinstance(clubs, Many)
    assert clubs.order_by == ("name",)


def test_an_explicit_plan_wins() -> None:
    # NovelDTO.writer_name is no Novel column: the inferred Plan(Novel, NovelDTO) cannot fill
    # it, the explicit plans.NOVEL can.
    inferred = Plan(Writer, WriterCard, relations={"novels": Many()})  # type: ignore[plan-field]
    explicit = Plan(Writer, WriterCard, relations={"novels": Many(plans.NOVEL)})  # type: ignore[plan-field]
    problems = check_plan(inferred)
    assert NO_SOURCE in [p.id for p in problems]
    assert any("NovelDTO.writer_name" in p.msg for p in problems)
    assert not [p for p in check_plan(explicit) if p.id == NO_SOURCE and "NovelDTO" in p.msg]


def test_what_cannot_be_inferred_is_reported() -> None:
    scalars = Plan(plans.NOVEL.model, NovelDTO, relations={"labels": Many()})  # type: ignore[plan-field, plan-relation]
    with pytest.raises(PlanError) as raised:
        scalars.budget()
    problems = raised.value.problems
    assert [p.id for p in problems if p.id == WRONG_RELATION] == [WRONG_RELATION]
    assert "Many() fills NovelDTO.labels with no plan, and none can be inferred" in str(
        raised.value
    )
