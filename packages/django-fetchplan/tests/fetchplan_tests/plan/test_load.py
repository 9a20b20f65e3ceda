"""Say it once, kind included: ``Load()`` is ``One`` or ``Many`` as the DTO field says.

``tuple[X, ...]`` makes it to-many, any other annotation to-one; the nested plan is inferred
as for ``One()`` / ``Many()`` without one. Options only a to-many relation takes, given for a
to-one field, are refused (``fetchplan.E006``), as is a kind the model relation contradicts.
"""

import pytest
from django.db.models import Q
from fetchplan import DTO, Load, Many, One, Plan, fetch_all
from fetchplan.plan.check_ids import WRONG_RELATION
from fetchplan.plan.checks import check_plan
from fetchplan.plan.errors import PlanError
from pytest_django import DjangoAssertNumQueries

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import WriterClubs, WriterRef
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db

# plans.WRITER_CLUBS, with neither the kind nor the nested plan written.
LOADED = Plan(
    Writer,
    WriterClubs,
    relations={"clubs": Load(order_by=("name",)), "mentor": Load(), "mentees": Load()},
)


def test_load_takes_its_kind_from_the_field(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    make_library(writers=6)
    assert LOADED.budget() == plans.WRITER_CLUBS.budget() == 3
    explicit = fetch_all(plans.WRITER_CLUBS, Writer.objects.order_by("pk"))
    with django_assert_num_queries(3):
        loaded = fetch_all(LOADED, Writer.objects.order_by("pk"))
    assert loaded == explicit
    assert any(w.clubs for w in loaded)
    assert any(w.mentor is not None for w in loaded)
    kinds = {name: type(relation) for name, relation in LOADED.relations.items()}
    assert kinds == {"clubs": Many, "mentor": One, "mentees": Many}
    clubs = LOADED.relations["clubs"]
    assert isinstance(clubs, Many)
    assert clubs.order_by == ("name",)


def test_per_parent_options_reach_the_to_many_relation() -> None:
    make_library(writers=6)
    plan = Plan(
        Writer,
        WriterClubs,
        relations={
            "clubs": Load(order_by=("-name",), limit=1, filter=Q(name__startswith="Club")),
            "mentor": Load(),
            "mentees": Load(),
        },
    )
    for writer in fetch_all(plan, Writer.objects.all()):
        assert len(writer.clubs) <= 1
    clubs = plan.relations["clubs"]
    assert isinstance(clubs, Many)
    assert clubs.limit == 1
    assert clubs.filter is not None


class Mentored(DTO):
    id: int
    mentor: WriterRef | None


class MentorsAsMany(DTO):
    id: int
    mentor: tuple[WriterRef, ...]


def test_to_many_options_on_a_to_one_field_are_refused() -> None:
    plan = Plan(Writer, Mentored, relations={"mentor": Load(limit=3, order_by=("name",))})  # type: ignore[plan-relation]
    problems = check_plan(plan)
    assert [p.id for p in problems] == [WRONG_RELATION]
    assert "gives order_by=, limit=, which only a to-many relation takes" in problems[0].msg
    assert "Remove order_by=, limit=" in str(problems[0].hint)
    with pytest.raises(PlanError):
        fetch_all(plan, Writer.objects.all())


def test_a_tuple_over_a_to_one_relation_is_refused() -> None:
    plan = Plan(Writer, MentorsAsMany, relations={"mentor": Load()})  # type: ignore[plan-relation]
    assert [p.id for p in check_plan(plan)] == [WRONG_RELATION]


def test_load_checks_its_arguments_as_many_does() -> None:
    with pytest.raises(PlanError, match="limit"):
        Load(limit=0)
